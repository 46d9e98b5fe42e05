/**
 * The dry run of applying a snapshot to a target: what to create, change and (in mirror mode) delete, in which wave,
 * what must be skipped and why, and the verdict. Pure: the target's current configuration is read by the caller.
 */
import {
  afterSwitches,
  copiedChildrenToDelete,
  currentRevisionAliases,
  isUnderApi,
  revisionPath,
  revisionSwitches,
  revisionWave,
  switchWrites,
  temporaryReleases,
} from './apiRevisions';
import { REDACTED, type NotCaptured, type SnapshotResource } from './captureResource';
import { kindOf, LINK_REFERENCE_FIELDS, RESOURCE_TYPES, typeOfPath, workspaceOf, type ResourceType } from './resourceTypes';
import { fieldsOf, supplyFlags } from './secretFields';
import { isV2, tierLacks, tierLimit, tiersWith } from './tierLimits';
import { leftoverReleaseDeletes, withoutOwnTemporaryReleases } from './leftoverReleases';
import { workspaceFindings } from './workspaceFindings';
import { workspaceLimitFindings } from './workspaceLimits';

export type Verdict = 'Fully restorable' | 'Partially restorable' | 'Not restorable';

export interface Finding {
  severity: 'blocking' | 'partial' | 'notice';
  code: string;
  resource?: string;
  message: string;
  fix: string;
}

export interface PlannedWrite {
  op: 'create' | 'change' | 'delete';
  path: string;
  wave: number;
}

export interface ApplyPlan {
  verdict: Verdict;
  findings: Finding[];
  writes: PlannedWrite[];
  counts: { create: number; change: number; delete: number; unchanged: number; skipped: number };
  /** Paths of the snapshot in scope (what verification compares). */
  scope: string[];
  /** Paths left out, with the reason's code. */
  skipped: { path: string; code: string }[];
}

export interface ApplyTarget {
  id: string;
  name: string;
  tier: string;
  /** The target's configuration as a snapshot would capture it (relative references, secrets absent). */
  resources: SnapshotResource[];
  /**
   * When `resources` is part of the target (an `--only` apply reads its scope): the whole target's count of each
   * limited collection (lowercase), so the tier's limits are counted on the whole.
   */
  counts?: Record<string, number>;
}

export interface ApplyOptions {
  /** `apis/orders`, `namedValues/backend-key`: apply these and what they need, nothing else. */
  only?: string[];
  mirror?: boolean;
  /**
   * The roots a scoped snapshot (taken before an `--only` apply) covers: mirror deletes under them alone, whatever
   * `only` says, for such a snapshot knows nothing of the rest of the instance.
   */
  mirrorWithin?: string[];
  /** Fields the apply overrides (`--override`, a standby's `overrides`): their values are the target's, not the source's. */
  overridden?: readonly { path: string; field: string }[];
}

export interface SnapshotSource {
  id: string;
  tier: string;
  resources: SnapshotResource[];
  notCaptured: NotCaptured[];
}

/** The left-out field a resource cannot be created without: the target must have it already, or it is supplied. */
const REQUIRED_TO_CREATE: Record<string, string> = {
  namedValues: 'value',
  identityProviders: 'clientSecret',
  certificates: 'data',
  caches: 'connectionString',
};
/** A cache's connection string is required in every PUT's body (CacheContractProperties), an update's too. */
const REQUIRED_TO_CHANGE = new Set(['caches']);

export function planApply(snapshot: SnapshotSource, target: ApplyTarget, options: ApplyOptions = {}): ApplyPlan {
  // apim-dr's own temporary release, caught by a snapshot while an apply had it there, is no configuration to carry.
  const source = withoutOwnTemporaryReleases(snapshot);
  const findings: Finding[] = [];
  const byPath = new Map(source.resources.map((r) => [r.path.toLowerCase(), r]));
  const original = new Map(target.resources.map((r) => [r.path.toLowerCase(), r]));
  const selected = options.only?.length ? selectOnly(source.resources, options.only, findings) : new Set(byPath.keys());
  // An API current in another revision on the target is switched by the snapshot's release: the plan compares the
  // snapshot with the target as it will be after that release.
  const switched = revisionSwitches(byPath, selected, original);
  const { current, copied } = afterSwitches(original, switched);
  // A release names its revision by number: `apis/orders;rev=2` is `apis/orders` where revision 2 is current.
  const sourceAliases = currentRevisionAliases(source.resources);
  const targetAliases = currentRevisionAliases([...current.values()]);
  const skipped = new Map<string, string>();
  const skip = (path: string, code: string) => skipped.has(path) || skipped.set(path, code);

  // Types the target's tier does not have at all.
  const lacking = new Set<string>();
  for (const key of selected) {
    const type = typeOfPath(key)!;
    const top = type.pattern.split('/')[0]!;
    if (tierLacks(target.tier, top)) {
      skip(key, 'MethodNotAllowedInPricingTier');
      lacking.add(top);
    }
  }
  for (const top of lacking) {
    findings.push({
      severity: 'partial',
      code: 'UnsupportedOnTier',
      resource: top,
      message: `${target.tier} has no ${top} (ARM answers MethodNotAllowedInPricingTier): ${[...selected].filter((k) => k.startsWith(`${top.toLowerCase()}/`)).length} resources cannot be carried`,
      fix:
        top === 'workspaces'
          ? `apply to an instance of a tier that has workspaces (${tiersWith(top)!.join(', ')}), or leave them out: --only the service's own resources`
          : isV2(target.tier)
            ? 'use workspace gateways on a v2 tier, or apply to a Developer or Premium instance'
            : 'apply to a tier that has them',
    });
  }

  // Secrets that were not captured: the resource cannot be created without them (unless the target has it already).
  const notCapturedByPath = new Map<string, NotCaptured[]>();
  for (const n of source.notCaptured) notCapturedByPath.set(n.path.toLowerCase(), [...(notCapturedByPath.get(n.path.toLowerCase()) ?? []), n]);
  for (const key of selected) {
    const resource = byPath.get(key)!;
    const type = typeOfPath(key)!;
    const missing = notCapturedByPath.get(key) ?? [];
    const missingFields = missing.flatMap(fieldsOf);
    const required = REQUIRED_TO_CREATE[kindOf(type)];
    const existing = current.get(key);
    const written = !existing || (REQUIRED_TO_CHANGE.has(kindOf(type)) && !sameContent(resource.properties, existing.properties));
    if (required && missingFields.includes(required) && written) {
      skip(key, 'SecretNotCaptured');
      const flags = supplyFlags(resource.path, missingFields);
      findings.push({
        severity: 'partial',
        code: 'SecretNotCaptured',
        resource: resource.path,
        message: `${resource.path}: ${missing[0]?.reason ?? 'its secret is not in the snapshot'}`,
        fix: `${missing[0]?.fix ?? 'supply it at apply'}${flags ? `: ${flags}` : ''}`,
      });
    }
    if (type.policy && JSON.stringify(resource.properties ?? {}).includes(REDACTED)) skip(key, 'PolicyRedacted');
  }
  // A certificate whose private key was all of it is in the snapshot by name alone: written only when its PFX is given.
  for (const n of options.only?.length ? [] : source.notCaptured) {
    const key = n.path.toLowerCase();
    if (typeOfPath(key)?.label !== 'certificates' || byPath.has(key) || current.has(key)) continue;
    findings.push({
      severity: 'partial',
      code: 'SecretNotCaptured',
      resource: n.path,
      message: `${n.path}: ${n.reason}`,
      fix: `${n.fix}: ${supplyFlags(n.path, fieldsOf(n))}`,
    });
  }

  findings.push(...workspaceFindings(byPath, current, selected, skipped, skip));

  // Anything that needs what is skipped (or missing from both sides) is skipped too.
  let changed = true;
  while (changed) {
    changed = false;
    for (const key of selected) {
      if (skipped.has(key)) continue;
      for (const dependency of dependenciesOf(byPath.get(key)!)) {
        const inSource = sourceAliases.get(dependency) ?? dependency;
        const satisfied =
          (selected.has(inSource) && !skipped.has(inSource)) || current.has(targetAliases.get(dependency) ?? dependency) || isBuiltIn(dependency);
        if (!satisfied) {
          skip(key, `Needs:${dependency}`);
          changed = true;
          break;
        }
      }
    }
  }
  for (const [path, code] of skipped) {
    const serviceLevel = code.startsWith('Needs:') ? serviceCounterpart(code.slice(6)) : undefined;
    if (serviceLevel && (byPath.has(serviceLevel) || current.has(serviceLevel))) {
      findings.push({
        severity: 'partial',
        code: 'WorkspaceReference',
        resource: byPath.get(path)!.path,
        message: `${byPath.get(path)!.path} names '${serviceLevel}', the service's: a workspace's policies may only name the workspace's own named values, backends and fragments`,
        fix: `create ${code.slice(6)} in the workspace (in the source, then take a new snapshot), or edit the policy`,
      });
    } else if (code.startsWith('Needs:')) {
      findings.push({
        severity: 'partial',
        code: 'DependencySkipped',
        resource: byPath.get(path)!.path,
        message: `${byPath.get(path)!.path} needs ${code.slice(6)}, which cannot be applied`,
        fix: 'fix that first (see its finding), then apply again',
      });
    } else if (code === 'PolicyRedacted') {
      findings.push({
        severity: 'partial',
        code,
        resource: byPath.get(path)!.path,
        message: `${byPath.get(path)!.path} carries a secret that was redacted at capture; it is not applied`,
        fix: 'move the secret to a named value (Key Vault) in the source and take a new snapshot, or edit the policy on the target',
      });
    }
  }

  // What changes.
  const writes: PlannedWrite[] = [];
  let unchanged = 0;
  for (const key of selected) {
    if (skipped.has(key)) continue;
    const resource = byPath.get(key)!;
    const type = typeOfPath(key)!;
    const existing = current.get(key);
    if (existing && sameContent(resource.properties, existing.properties)) {
      unchanged += 1;
      continue;
    }
    writes.push({ op: existing ? 'change' : 'create', path: resource.path, wave: revisionWave(resource, sourceAliases, type.wave) });
    // A written resource whose secrets were left out at capture reaches the target without them.
    if (kindOf(type) !== 'namedValues') {
      for (const n of notCapturedByPath.get(key) ?? []) {
        const flags = supplyFlags(n.path, fieldsOf(n));
        findings.push({
          severity: 'partial',
          code: 'SecretRedacted',
          resource: n.path,
          message: `${n.path}: ${n.what}: ${n.reason}`,
          fix: flags ? `${n.fix}, or supply it at apply: ${flags}` : n.fix,
        });
      }
    }
  }
  writes.push(...switchWrites(switched, writes, copied, (key) => selected.has(key) && !skipped.has(key)));
  writes.push(...copiedChildrenToDelete(writes, byPath, original, skipped));
  writes.push(
    ...temporaryReleases(
      switched.map((s) => s.root),
      writes,
      byPath,
      original,
    ),
  );
  // The temporary release an apply that died left behind goes, merge or mirror, under the APIs this apply covers.
  writes.push(...leftoverReleaseDeletes(original, (api) => !options.only?.length || selected.has(api), writes));
  if (options.mirror) {
    // Within --only, mirror deletes under the named resources alone, never under what they merely need.
    const roots = (options.mirrorWithin ?? options.only ?? []).map((o) => o.toLowerCase());
    const inScope = (key: string) => roots.length === 0 || roots.some((r) => isUnderApi(key, r));
    const deleted: string[] = [];
    for (const [key, resource] of current) {
      if (byPath.has(key) || !inScope(key) || !typeOfPath(key)) continue;
      if (writes.some((w) => w.op === 'delete' && w.path.toLowerCase() === key)) continue;
      // A child goes with its parent, a revision with its API.
      if (deleted.some((d) => isUnderApi(key, d))) continue;
      deleted.push(key);
      writes.push({ op: 'delete', path: resource.path, wave: typeOfPath(key)!.wave });
    }
  }

  findings.push(...limitFindings(target, current, selected, skipped, options.mirror === true));
  const kept = [...selected].filter((k) => !skipped.has(k));
  findings.push(...workspaceLimitFindings(target.tier, new Set([...(options.mirror ? [] : current.keys()), ...kept])));
  if (!sameInstance(source.id, target.id))
    findings.push(
      ...environmentFindings(
        [...selected].filter((k) => !skipped.has(k)).map((k) => byPath.get(k)!),
        options.overridden ?? [],
      ),
    );

  const verdict: Verdict = findings.some((f) => f.severity === 'blocking')
    ? 'Not restorable'
    : skipped.size > 0 || findings.some((f) => f.severity === 'partial')
      ? 'Partially restorable'
      : 'Fully restorable';
  writes.sort(
    (a, b) =>
      (a.op === 'delete' ? 1 : 0) - (b.op === 'delete' ? 1 : 0) || (a.op === 'delete' ? b.wave - a.wave : a.wave - b.wave) || a.path.localeCompare(b.path),
  );
  return {
    verdict,
    findings,
    writes,
    counts: {
      create: writes.filter((w) => w.op === 'create').length,
      change: writes.filter((w) => w.op === 'change').length,
      delete: writes.filter((w) => w.op === 'delete').length,
      unchanged,
      skipped: skipped.size,
    },
    scope: [...selected].filter((k) => !skipped.has(k)).map((k) => byPath.get(k)!.path),
    skipped: [...skipped].map(([path, code]) => ({ path: byPath.get(path)!.path, code })),
  };
}

/** The paths `--only` selects from a snapshot (what a scoped read of the target must cover). */
export function scopeOfOnly(resources: SnapshotResource[], only: string[]): string[] {
  const byPath = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  return [...selectOnly(resources, only, [])].map((key) => byPath.get(key)!.path);
}

/** `--only apis/orders`: the API, everything under it, the links to it, then (transitively) what those need. */
function selectOnly(resources: SnapshotResource[], only: string[], findings: Finding[]): Set<string> {
  const byPath = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  const selected = new Set<string>();
  const add = (key: string) => {
    if (selected.has(key) || !byPath.has(key)) return;
    selected.add(key);
    for (const dependency of dependenciesOf(byPath.get(key)!)) add(dependency);
  };
  for (const wanted of only) {
    const key = wanted.toLowerCase();
    if (!byPath.has(key)) {
      findings.push({
        severity: 'blocking',
        code: 'NotInSnapshot',
        resource: wanted,
        message: `'${wanted}' is not in the snapshot`,
        fix: "name a resource the snapshot holds, as <collection>/<name> (e.g. 'apis/orders'); 'apim-dr snapshot show' lists the counts",
      });
      continue;
    }
    for (const [other] of byPath) {
      const linksToIt =
        (typeOfPath(other)?.linkTo && `${typeOfPath(other)!.linkTo!.toLowerCase()}/${other.split('/').pop()}` === key) ||
        // A workspace's link names its end in the body: to the API or to one of its operations.
        LINK_REFERENCE_FIELDS.some((f) => {
          const end = byPath.get(other)!.properties?.[f];
          return typeof end === 'string' && (end.toLowerCase() === `/${key}` || end.toLowerCase().startsWith(`/${key}/`));
        });
      // An API comes back with its revisions and releases.
      if (isUnderApi(other, key) || linksToIt) add(other);
    }
  }
  return selected;
}

/** What must exist before this resource can be written (lowercased paths). */
export function dependenciesOf(resource: SnapshotResource): string[] {
  const segments = resource.path.split('/');
  const deps: string[] = [];
  for (let end = 2; end < segments.length; end += 2) deps.push(segments.slice(0, end).join('/'));
  const type = typeOfPath(resource.path);
  if (type?.linkTo) deps.push(`${type.linkTo}/${segments[segments.length - 1]}`);
  // A revision is made from its API; a release needs the revision it names (`apiId`).
  const revision = revisionPath(resource.path);
  if (revision) deps.push(revision.root);
  const p = resource.properties ?? {};
  for (const field of ['apiVersionSetId', 'loggerId', 'scope', 'ownerId', ...LINK_REFERENCE_FIELDS]) {
    const value = p[field];
    // A relative ID of one resource (`/loggers/x`, `/workspaces/w/apis/a`), not a collection (`/apis`, a scope).
    const segments = typeof value === 'string' ? value.split('/').length : 0;
    if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('/subscriptions/') && segments >= 3 && segments % 2 === 1)
      deps.push(value.slice(1));
  }
  for (const member of (p.pool as { services?: { id?: string }[] } | undefined)?.services ?? []) if (member.id?.startsWith('/')) deps.push(member.id.slice(1));
  for (const id of (p.credentials as { certificateIds?: string[] } | undefined)?.certificateIds ?? []) if (id.startsWith('/')) deps.push(id.slice(1));
  // An API's wiki lists documentations of the service by name.
  for (const d of (p.documents as { documentationId?: string }[] | undefined) ?? []) if (d.documentationId) deps.push(`documentations/${d.documentationId}`);
  // A tag description is named after a tag of the service; a cache's connection string may name a named value.
  if (type?.label === 'apiTagDescriptions') deps.push(`tags/${segments[segments.length - 1]}`);
  if (typeof p.connectionString === 'string') for (const [, name] of p.connectionString.matchAll(/\{\{([^}]+)\}\}/g)) deps.push(`namedValues/${name}`);
  if (type?.policy && typeof p.value === 'string') {
    // A workspace's policies name the workspace's own named values, fragments and backends.
    const scope = workspaceOf(resource.path);
    for (const [, name] of p.value.matchAll(/\{\{([^}]+)\}\}/g)) deps.push(`${scope}namedValues/${name}`);
    for (const [, id] of p.value.matchAll(/<include-fragment\s+fragment-id="([^"]+)"/g)) deps.push(`${scope}policyFragments/${id}`);
    for (const [, id] of p.value.matchAll(/backend-id="([^"]+)"/g)) deps.push(`${scope}backends/${id}`);
  }
  return [...new Set(deps.map((d) => d.toLowerCase()))];
}

function limitFindings(
  target: ApplyTarget,
  current: Map<string, SnapshotResource>,
  selected: Set<string>,
  skipped: Map<string, string>,
  mirror: boolean,
): Finding[] {
  const findings: Finding[] = [];
  const after = new Set([...(mirror ? [] : current.keys()), ...[...selected].filter((k) => !skipped.has(k))]);
  const counts = tally(after);
  const read = tally(current.keys());
  for (const [collection, inScope] of counts) {
    // Counted on the whole target when only part was read: what was not read stays as it is.
    const whole = target.counts?.[collection];
    const count = whole === undefined ? inScope : whole - (read.get(collection) ?? 0) + inScope;
    const pattern = collection
      .split('/')
      .map((s, i) => (i % 2 === 1 ? '*' : s))
      .join('/');
    const limit = tierLimit(target.tier, pattern);
    if (limit !== undefined && count > limit) {
      findings.push({
        severity: 'blocking',
        code: 'TierLimit',
        resource: collection,
        message: `${target.tier} allows ${limit} ${collection}; the target would hold ${count}`,
        fix:
          whole === undefined
            ? `apply part of the snapshot (--only), or use a larger tier`
            : `the target holds ${whole} ${collection} already: delete ${collection} it no longer needs, or apply to a larger tier`,
      });
    }
  }
  return findings;
}

/** Resources per collection a tier may limit: a top-level collection by its pattern, a child one per parent. */
function tally(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const pattern = typeOfPath(key)?.pattern.toLowerCase();
    // Revisions are not APIs of their own in the tiers' counts.
    if (!pattern || revisionPath(key)) continue;
    const countKey = pattern.includes('/') ? key.split('/').slice(0, -1).join('/') : pattern;
    counts.set(countKey, (counts.get(countKey) ?? 0) + 1);
  }
  return counts;
}

/** Values that point at the source's own region or resources: a copy in another region would still call them. */
function environmentFindings(resources: SnapshotResource[], overridden: readonly { path: string; field: string }[]): Finding[] {
  const findings: Finding[] = [];
  const isOverridden = new Set(overridden.map((o) => `${o.path}.${o.field}`.toLowerCase()));
  const note = (resource: SnapshotResource, field: string, value: unknown) =>
    typeof value === 'string' &&
    value &&
    findings.push(
      isOverridden.has(`${resource.path}.${field}`.toLowerCase())
        ? {
            severity: 'notice',
            code: 'OverriddenValue',
            resource: resource.path,
            message: `${resource.path}: ${field} is '${value}', the target's own (overridden)`,
            fix: "none needed; to change it, change the override (--override, HTTP overrides, or the standby's overrides in the config)",
          }
        : {
            severity: 'notice',
            code: 'EnvironmentValue',
            resource: resource.path,
            message: `${resource.path}: ${field} is '${value}', the source's`,
            fix: `if the target should call its own region: --override ${resource.path}.${field}=<its value> (HTTP: overrides [{ path, field, value }]; a synced standby: its overrides in the config), or keep it in a named value`,
          },
    );
  for (const r of resources) {
    const type = typeOfPath(r.path);
    const kind = type && kindOf(type);
    const p = r.properties ?? {};
    if (kind === 'apis') note(r, 'serviceUrl', p.serviceUrl);
    if (kind === 'backends') {
      note(r, 'url', p.url);
      note(r, 'resourceId', p.resourceId);
    }
    if (kind === 'loggers') note(r, 'resourceId', p.resourceId);
    // An external cache names the source's Redis (`resourceId`) and may be bound to the source's region.
    if (kind === 'caches') {
      note(r, 'resourceId', p.resourceId);
      if (p.useFromLocation !== 'default') note(r, 'useFromLocation', p.useFromLocation);
    }
    if (kind === 'namedValues' && p.keyVault && !workspaceOf(r.path)) {
      findings.push({
        severity: 'notice',
        code: 'KeyVaultReference',
        resource: r.path,
        message: `${r.path} is a Key Vault reference (${String((p.keyVault as { secretIdentifier?: string }).secretIdentifier)})`,
        fix: "grant the target's managed identity get and list on that secret, and let it reach the vault",
      });
    }
  }
  return findings;
}

/** `workspaces/w/namedvalues/x` → `namedvalues/x`: what a workspace's reference would be at the service level. */
function serviceCounterpart(key: string): string | undefined {
  const scope = workspaceOf(key);
  return scope ? key.slice(scope.length) : undefined;
}

/** Built-in resources (the developers group, the starter product) exist on every instance and are never captured. */
function isBuiltIn(path: string): boolean {
  const type = typeOfPath(path);
  return !!type?.builtIn?.includes(path.split('/').pop()!);
}

function sameInstance(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Equal content, whatever the key order. */
export function sameContent(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function waveOf(path: string): number {
  return typeOfPath(path)?.wave ?? RESOURCE_TYPES.length;
}

export type { ResourceType };
