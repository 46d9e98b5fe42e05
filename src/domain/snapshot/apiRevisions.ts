/**
 * API revisions and releases in a snapshot (facts/config-snapshot.md §1, §2, §4; apimapis.json, apimapirevisions.json,
 * apimapireleases.json). `GET apis` lists current revisions only, so a snapshot keeps the current revision as
 * `apis/{a}` and every other one as `apis/{a};rev={n}`, each with its children; releases (`apis/{a}/releases/{r}`)
 * name the revision they made current in `apiId`. Applying them follows Azure's rules: the API first, then its other
 * revisions in order (each created from the current one, `sourceApiId`), then the releases, the one making the
 * snapshot's current revision current last.
 */
import type { PlannedWrite } from './applyPlan';
import type { SnapshotResource } from './captureResource';
import { typeByLabel, typeOfPath } from './resourceTypes';

/** Fields of the API itself, shared by its revisions: a non-current revision cannot change them (facts §4). */
export const API_LEVEL_FIELDS = ['displayName', 'type', 'description', 'subscriptionRequired', 'apiVersion', 'path', 'protocols'];

/** Apply waves (between the APIs' wave 4 and their children's wave 5): revisions, then releases, the deciding one last. */
export const REVISIONS_WAVE = 4;
export const RELEASES_WAVE = typeByLabel('apiReleases')!.wave;
export const CURRENT_RELEASE_WAVE = 4.9;

/** An `apiRevision` as the string ARM keeps (`2`), or undefined when there is none. */
export function revisionNumber(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** `orders;rev=2` → `{ api: 'orders', rev: '2' }`; `orders` → `{ api: 'orders' }`. */
export function revisionOf(name: string): { api: string; rev?: string } {
  const match = /^(.*);rev=(.+)$/i.exec(name);
  return match ? { api: match[1]!, rev: match[2]! } : { api: name };
}

/** Where a path sits under an API, at the service (`apis/…`) or in a workspace (`workspaces/{w}/apis/…`). */
export interface ApiPlace {
  /** The API's own path, revision left out: `apis/orders`, `workspaces/team/apis/orders`. */
  root: string;
  api: string;
  rev?: string;
  /** The segments below the API (or revision): `['releases', 'r2']`; none for the API itself. */
  rest: string[];
}

/** `workspaces/team/apis/orders;rev=2/operations/get` → its API, revision and what is below; undefined outside an API. */
export function apiPlace(path: string): ApiPlace | undefined {
  const segments = path.split('/');
  const at = segments[0]?.toLowerCase() === 'apis' ? 0 : segments[0]?.toLowerCase() === 'workspaces' && segments[2]?.toLowerCase() === 'apis' ? 2 : -1;
  if (at < 0 || segments.length < at + 2) return undefined;
  const { api, rev } = revisionOf(segments[at + 1]!);
  return { root: [...segments.slice(0, at + 1), api].join('/'), api, rev, rest: segments.slice(at + 2) };
}

/** An API itself (current revision), not one of its revisions nor a child: `apis/orders`, `workspaces/w/apis/orders`. */
export function isApiRoot(path: string): boolean {
  const place = apiPlace(path);
  return !!place && place.rev === undefined && place.rest.length === 0;
}

/** A release of an API: `apis/orders/releases/r2`, `workspaces/w/apis/orders/releases/r2`. */
export function isRelease(path: string): boolean {
  const place = apiPlace(path);
  return !!place && place.rev === undefined && place.rest.length === 2 && place.rest[0]!.toLowerCase() === 'releases';
}

/** `apis/orders;rev=2` → `{ api: 'orders', rev: '2', root: 'apis/orders' }` for a non-current revision itself (not its children). */
export function revisionPath(path: string): { api: string; rev: string; root: string } | undefined {
  const place = apiPlace(path);
  return place && place.rev !== undefined && place.rest.length === 0 ? { api: place.api, rev: place.rev, root: place.root } : undefined;
}

/** Whether `key` is the API `root` (`apis/orders`), one of its revisions, or under either (lowercased keys). */
export function isUnderApi(key: string, root: string): boolean {
  return key === root || key.startsWith(`${root}/`) || (isApiRoot(root) && key.startsWith(`${root};rev=`));
}

/**
 * The other names of the current revisions: `apis/orders;rev=2` → `apis/orders` when revision 2 is current there
 * (lowercased keys). A release's `apiId` names its revision by number, current or not.
 */
export function currentRevisionAliases(resources: SnapshotResource[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const r of resources) {
    if (!isApiRoot(r.path)) continue;
    aliases.set(`${r.path.toLowerCase()};rev=${(revisionNumber(r.properties?.apiRevision) ?? '1').toLowerCase()}`, r.path.toLowerCase());
  }
  return aliases;
}

/**
 * The wave a write of this resource goes in: a non-current revision after the API and after the revisions numbered
 * below it (Azure creates them one at a time); a release after every revision, and the release that makes the
 * snapshot's current revision current after the other releases, so that it is the last one to take effect.
 */
export function revisionWave(resource: SnapshotResource, aliases: Map<string, string>, wave: number): number {
  const revision = revisionPath(resource.path);
  if (revision) {
    const n = Number(revision.rev);
    return REVISIONS_WAVE + (Number.isInteger(n) && n > 0 && n < 500 ? n : 500) / 1000;
  }
  if (isRelease(resource.path)) {
    const released = releasedRevision(resource);
    return released && aliases.get(released) === apiPlace(resource.path)!.root.toLowerCase() ? CURRENT_RELEASE_WAVE : RELEASES_WAVE;
  }
  return wave;
}

/** The revision a release names (`apis/orders;rev=2`, `workspaces/w/apis/orders;rev=2`, lowercased), from its relative `apiId`. */
export function releasedRevision(resource: SnapshotResource): string | undefined {
  const apiId = resource.properties?.apiId;
  return typeof apiId === 'string' && apiId.startsWith('/') && apiPlace(apiId.slice(1))?.rest.length === 0 ? apiId.slice(1).toLowerCase() : undefined;
}

/**
 * The PUT body of a non-current revision: without the API's own fields (Azure refuses a change there, and the revision
 * shows the current's anyway), and, to create it, the revision it starts from: the API's current one.
 */
export function revisionBody(path: string, properties: Record<string, unknown>, targetId: string, create: boolean): Record<string, unknown> {
  const revision = revisionPath(path);
  if (!revision) return properties;
  const body = { ...properties };
  for (const field of API_LEVEL_FIELDS) delete body[field];
  if (create) body.sourceApiId = `${targetId}/${revision.root}`;
  return body;
}

/** The release apply creates, then deletes, where no release of the snapshot would leave its current revision current. */
export const TEMPORARY_RELEASE = /^apim-dr-current(-\d+)?$/i;
/** The notes apim-dr writes on its temporary release: with the name, what tells a leftover of its own from anyone's. */
export const TEMPORARY_RELEASE_NOTES = 'apim-dr: makes the snapshot’s current revision current';

/**
 * Where the releases the apply creates (or a switch) would leave another revision current than the snapshot's, and no
 * release of the snapshot that the apply creates names that revision: a temporary release of it, created after the
 * others and deleted at the end (releases are a change log; deleting one changes nothing current). Named apart from
 * any release the target has, for only creating a release makes its revision current.
 */
export function temporaryReleases(
  switched: string[],
  writes: PlannedWrite[],
  byPath: Map<string, SnapshotResource>,
  current: Map<string, SnapshotResource>,
): PlannedWrite[] {
  const added: PlannedWrite[] = [];
  const created = writes.filter((w) => w.op === 'create' && isRelease(w.path));
  const roots = new Set([...switched, ...created.map((w) => apiPlace(w.path)!.root.toLowerCase())]);
  for (const root of roots) {
    const api = byPath.get(root);
    if (!api) continue;
    const revision = `${root};rev=${(revisionNumber(api.properties?.apiRevision) ?? '1').toLowerCase()}`;
    const mine = created.filter((w) => w.path.toLowerCase().startsWith(`${root}/releases/`));
    if (mine.some((w) => releasedRevision(byPath.get(w.path.toLowerCase())!) === revision)) continue;
    let name = 'apim-dr-current';
    for (let n = 1; current.has(`${root}/releases/${name}`); n++) name = `apim-dr-current-${n}`;
    const path = `${api.path}/releases/${name}`;
    added.push({ op: 'create', path, wave: CURRENT_RELEASE_WAVE }, { op: 'delete', path, wave: RELEASES_WAVE });
  }
  return added;
}

/** A switched API's own write goes after the release that switched it; the revision that was current, after that. */
export const SWITCHED_ROOT_WAVE = 4.95;
export const FORMER_CURRENT_WAVE = 4.97;

/** An API whose current revision on the target (`from`) is not the snapshot's (`to`). */
export interface RevisionSwitch {
  /** Lowercased key of the API: `apis/orders`. */
  root: string;
  /** The API's path as the snapshot spells it. */
  path: string;
  from: string;
  to: string;
  /** The target has no revision `to`: the apply creates it (from the current one) before releasing it. */
  create: boolean;
}

/** The APIs in `selected` that both sides have, current on the target in another revision than in the snapshot. */
export function revisionSwitches(byPath: Map<string, SnapshotResource>, selected: Set<string>, current: Map<string, SnapshotResource>): RevisionSwitch[] {
  const switches: RevisionSwitch[] = [];
  for (const key of selected) {
    if (!isApiRoot(key) || !current.has(key)) continue;
    const to = revisionNumber(byPath.get(key)!.properties?.apiRevision) ?? '1';
    const from = revisionNumber(current.get(key)!.properties?.apiRevision) ?? '1';
    if (to !== from) switches.push({ root: key, path: byPath.get(key)!.path, from, to, create: !current.has(`${key};rev=${to.toLowerCase()}`) });
  }
  return switches;
}

/**
 * The target as it will be once each switch's release has made the snapshot's revision current: what was current moves
 * to `;rev={from}`, the released revision to the API's own name; a revision the apply creates starts as a copy of the
 * current one (`copied`: the paths of the children it will have, which the snapshot may not).
 */
export function afterSwitches(
  current: Map<string, SnapshotResource>,
  switches: RevisionSwitch[],
): { current: Map<string, SnapshotResource>; copied: string[] } {
  const out = new Map(current);
  const copied: string[] = [];
  for (const s of switches) {
    const released = `${s.root};rev=${s.to.toLowerCase()}`;
    const moves: [string, SnapshotResource][] = [];
    for (const [key, resource] of current) {
      const rest = resource.path.slice(s.root.length);
      if ((key === s.root || key.startsWith(`${s.root}/`)) && !key.startsWith(`${s.root}/releases/`)) {
        out.delete(key);
        const path = `${s.path};rev=${s.from}${rest}`;
        moves.push([path.toLowerCase(), { ...resource, path }]);
        if (s.create) {
          const properties = key === s.root ? { ...resource.properties, apiRevision: s.to } : resource.properties;
          moves.push([`${s.root}${rest.toLowerCase()}`, { path: `${s.path}${rest}`, properties }]);
          if (key !== s.root) copied.push(`${s.path}${rest}`);
        }
      } else if (key === released || key.startsWith(`${released}/`)) {
        out.delete(key);
        const tail = resource.path.slice(released.length);
        moves.push([`${s.root}${tail.toLowerCase()}`, { ...resource, path: `${s.path}${tail}` }]);
      }
    }
    for (const [key, resource] of moves) out.set(key, resource);
  }
  return { current: out, copied };
}

/** The snapshot resource a write names: a revision the apply creates to release it is the snapshot's current one. */
export function resourceAt(byPath: Map<string, SnapshotResource>, path: string): SnapshotResource | undefined {
  const found = byPath.get(path.toLowerCase());
  if (found) return found;
  const place = apiPlace(path);
  if (place && isRelease(path) && TEMPORARY_RELEASE.test(place.rest[1]!)) {
    const api = byPath.get(place.root.toLowerCase());
    const rev = revisionNumber(api?.properties?.apiRevision);
    if (api && rev) return { path, properties: { apiId: `/${place.root};rev=${rev}`, notes: TEMPORARY_RELEASE_NOTES } };
  }
  const revision = revisionPath(path);
  const root = revision && byPath.get(revision.root.toLowerCase());
  if (!root || revisionNumber(root.properties?.apiRevision) !== revision.rev) return undefined;
  return { path, properties: root.properties };
}

/**
 * The writes a switch adds or moves: the revision to release, created first when the target lacks it; the API's own
 * write after the release; the revision that was current after that (a non-current revision cannot change the API's
 * fields, and until the release it is current); and deletes of what the copy made that the snapshot lacks.
 */
export function switchWrites(switches: RevisionSwitch[], writes: PlannedWrite[], copied: string[], keep: (key: string) => boolean): PlannedWrite[] {
  const added: PlannedWrite[] = [];
  for (const s of switches) {
    if (s.create) added.push({ op: 'create', path: `${s.path};rev=${s.to}`, wave: revisionWave({ path: `${s.path};rev=${s.to}` }, new Map(), 0) });
    const former = `${s.root};rev=${s.from.toLowerCase()}`;
    for (const w of writes) {
      if (w.path.toLowerCase() === s.root) w.wave = SWITCHED_ROOT_WAVE;
      if (w.path.toLowerCase() === former) w.wave = FORMER_CURRENT_WAVE;
    }
  }
  const gone: string[] = [];
  for (const path of [...copied].sort((a, b) => a.length - b.length)) {
    const key = path.toLowerCase();
    if (keep(key) || gone.some((g) => key.startsWith(`${g}/`))) continue;
    gone.push(key);
    added.push({ op: 'delete', path, wave: typeOfPath(path)?.wave ?? 0 });
  }
  return added;
}

/**
 * A revision created on a target where its API exists starts as a copy of the API's current revision, children
 * included (Azure copies them): what the snapshot's revision lacks of that copy is deleted, in merge mode too, for the
 * apply made it.
 */
export function copiedChildrenToDelete(
  writes: PlannedWrite[],
  byPath: Map<string, SnapshotResource>,
  current: Map<string, SnapshotResource>,
  skipped: Map<string, string>,
): PlannedWrite[] {
  const deletes: PlannedWrite[] = [];
  for (const write of writes) {
    // (A revision created only to be released is the snapshot's current one: `afterSwitches` predicts its copy.)
    const revision = write.op === 'create' && byPath.has(write.path.toLowerCase()) ? revisionPath(write.path) : undefined;
    const root = revision && revision.root.toLowerCase();
    if (!revision || !root || !current.has(root)) continue;
    const copied: string[] = [];
    for (const [key, resource] of [...current].sort(([a], [b]) => a.length - b.length)) {
      if (!key.startsWith(`${root}/`) || key.startsWith(`${root}/releases/`)) continue;
      const path = `${write.path}/${resource.path.slice(root.length + 1)}`;
      const lower = path.toLowerCase();
      if (byPath.has(lower) && !skipped.has(lower)) continue;
      // A child goes with its parent.
      if (copied.some((c) => lower.startsWith(`${c}/`))) continue;
      copied.push(lower);
      deletes.push({ op: 'delete', path, wave: typeOfPath(path)?.wave ?? 0 });
    }
  }
  return deletes;
}
