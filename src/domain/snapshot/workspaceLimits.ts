/**
 * The v2 limits where a workspace's resources count (facts/config-snapshot.md §5; Microsoft's "API Management service
 * limits - v2 tiers"): per API and per product for a workspace's APIs and products as for the service's (operations,
 * releases, schemas per API; APIs and groups per product), and per instance for the instance's totals, the
 * workspaces' resources included. The service's own counts are `limitFindings`' in applyPlan.ts: this says only what
 * the workspaces add. Pure.
 */
import type { Finding } from './applyPlan';
import { revisionPath } from './apiRevisions';
import { limitCounter, tierLimit } from './tierLimits';

/** `after`: the target's resources once the apply is done (lowercased paths); `tier`: the target's. */
export function workspaceLimitFindings(tier: string, after: Iterable<string>): Finding[] {
  const counts = new Map<string, { pattern: string; total: number; service: number; workspaces: Set<string> }>();
  for (const key of after) {
    // Revisions are not APIs of their own in the tiers' counts.
    const counter = revisionPath(key) ? undefined : limitCounter(key);
    if (!counter) continue;
    const count = counts.get(counter.group) ?? { pattern: counter.pattern, total: 0, service: 0, workspaces: new Set<string>() };
    count.total += 1;
    if (counter.inWorkspace) count.workspaces.add(key.split('/')[1]!);
    else count.service += 1;
    counts.set(counter.group, count);
  }
  const findings: Finding[] = [];
  for (const [group, { pattern, total, service, workspaces }] of counts) {
    const limit = tierLimit(tier, pattern);
    // Past the limit only with the workspaces' resources (the service's alone are limitFindings' to report).
    if (limit === undefined || total <= limit || service > limit || workspaces.size === 0) continue;
    const perParent = group.includes('/');
    findings.push({
      severity: 'blocking',
      code: 'TierLimit',
      resource: group,
      message: perParent
        ? `${tier} allows ${limit} ${group.split('/').pop()} per ${pattern.split('/')[0] === 'apis' ? 'API' : 'product'}; ${group.split('/').slice(0, -1).join('/')} would have ${total}`
        : `${tier} allows ${limit} ${group} per instance, its workspaces' included; the target would hold ${total} (${total - service} in workspaces ${[...workspaces].sort().join(', ')})`,
      fix: perParent
        ? `split ${group.split('/').slice(0, -1).join('/')} in the source (or leave it out with --only), or apply to a tier with a higher limit`
        : `apply part of the snapshot (--only, a workspace at a time), delete unused ${group} on the target, or use a larger tier`,
    });
  }
  return findings;
}
