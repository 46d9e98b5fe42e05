/**
 * The dry run's findings bounded for a reader: thousands of APIs make thousands of alike findings (one `serviceUrl`
 * each), which no one reads one by one and which must not travel whole in an answer, a record or a Durable payload.
 * Findings are grouped by severity, code and fix (the fix with its resource written `<resource>`), counted, with the
 * first FINDING_EXAMPLES resources as examples; the findings themselves are kept for those examples only.
 */
import type { Finding } from './applyPlan';

/** Findings kept whole per group, and resources named per group: enough to see the pattern, few enough to read. */
export const FINDING_EXAMPLES = 10;

export interface FindingGroup {
  severity: Finding['severity'];
  code: string;
  count: number;
  /** Once for the group: a resource's own path in it is written `<resource>`. */
  fix: string;
  /** The first resources the group's findings name (at most FINDING_EXAMPLES). */
  examples: string[];
}

export interface BoundedFindings {
  /** At most FINDING_EXAMPLES findings per group, whole and in their order. */
  findings: Finding[];
  findingGroups: FindingGroup[];
  /** How many findings `findings` leaves out (all of them: the CLI's `--all`, or the record's `findingsBlob`). */
  findingsOmitted: number;
}

export function boundFindings(all: readonly Finding[], examples = FINDING_EXAMPLES): BoundedFindings {
  const groups = new Map<string, FindingGroup>();
  const findings: Finding[] = [];
  for (const finding of all) {
    const fix = fixOfGroup(finding);
    const key = `${finding.severity}\n${finding.code}\n${fix}`;
    const group = groups.get(key) ?? { severity: finding.severity, code: finding.code, count: 0, fix, examples: [] };
    groups.set(key, group);
    group.count += 1;
    if (group.count > examples) continue;
    findings.push(finding);
    if (finding.resource) group.examples.push(finding.resource);
  }
  return { findings, findingGroups: [...groups.values()], findingsOmitted: all.length - findings.length };
}

/** What is skipped, bounded alike: at most `examples` paths per reason (every `Needs:…` one reason). */
export function boundSkipped<T extends { path: string; code: string }>(
  all: readonly T[],
  examples = FINDING_EXAMPLES,
): { skipped: T[]; skippedOmitted: number } {
  const seen = new Map<string, number>();
  const skipped = all.filter((s) => {
    const reason = s.code.startsWith('Needs:') ? 'Needs:' : s.code;
    seen.set(reason, (seen.get(reason) ?? 0) + 1);
    return seen.get(reason)! <= examples;
  });
  return { skipped, skippedOmitted: all.length - skipped.length };
}

/** The fix with the finding's own path as `<resource>`: alike findings then share one fix. A bare collection name is left. */
function fixOfGroup(finding: Finding): string {
  return finding.resource?.includes('/') ? finding.fix.split(finding.resource).join('<resource>') : finding.fix;
}
