/**
 * API revisions and releases in a snapshot (facts/config-snapshot.md §1, §2, §4; apimapis.json, apimapirevisions.json,
 * apimapireleases.json). `GET apis` lists current revisions only, so a snapshot keeps the current revision as
 * `apis/{a}` and every other one as `apis/{a};rev={n}`, each with its children; releases (`apis/{a}/releases/{r}`)
 * name the revision they made current in `apiId`. Applying them follows Azure's rules: the API first, then its other
 * revisions in order (each created from the current one, `sourceApiId`), then the releases, the one making the
 * snapshot's current revision current last.
 */
import type { SnapshotResource } from './captureResource';

/** Fields of the API itself, shared by its revisions: a non-current revision cannot change them (facts §4). */
export const API_LEVEL_FIELDS = ['displayName', 'type', 'description', 'subscriptionRequired', 'apiVersion', 'path', 'protocols'];

/** Apply waves (between the APIs' wave 4 and their children's wave 5): revisions, then releases, the deciding one last. */
export const REVISIONS_WAVE = 4;
export const RELEASES_WAVE = 4.8;
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

/** `apis/orders;rev=2` → `{ api: 'orders', rev: '2' }` for a non-current revision itself (not its children), else undefined. */
export function revisionPath(path: string): { api: string; rev: string } | undefined {
  const segments = path.split('/');
  if (segments.length !== 2 || segments[0]!.toLowerCase() !== 'apis') return undefined;
  const { api, rev } = revisionOf(segments[1]!);
  return rev === undefined ? undefined : { api, rev };
}

/** Whether `key` is the API `root` (`apis/orders`), one of its revisions, or under either (lowercased keys). */
export function isUnderApi(key: string, root: string): boolean {
  return key === root || key.startsWith(`${root}/`) || (root.split('/').length === 2 && root.startsWith('apis/') && key.startsWith(`${root};rev=`));
}

/**
 * The other names of the current revisions: `apis/orders;rev=2` → `apis/orders` when revision 2 is current there
 * (lowercased keys). A release's `apiId` names its revision by number, current or not.
 */
export function currentRevisionAliases(resources: SnapshotResource[]): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const r of resources) {
    const segments = r.path.toLowerCase().split('/');
    if (segments.length !== 2 || segments[0] !== 'apis' || revisionOf(segments[1]!).rev !== undefined) continue;
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
  const segments = resource.path.split('/');
  if (segments.length === 4 && segments[0]!.toLowerCase() === 'apis' && segments[2]!.toLowerCase() === 'releases') {
    const released = releasedRevision(resource);
    return released && aliases.get(released) === `apis/${segments[1]!.toLowerCase()}` ? CURRENT_RELEASE_WAVE : RELEASES_WAVE;
  }
  return wave;
}

/** The revision a release names (`apis/orders;rev=2`, lowercased), from its relative `apiId`. */
export function releasedRevision(resource: SnapshotResource): string | undefined {
  const apiId = resource.properties?.apiId;
  return typeof apiId === 'string' && apiId.startsWith('/apis/') ? apiId.slice(1).toLowerCase() : undefined;
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
  if (create) body.sourceApiId = `${targetId}/apis/${revision.api}`;
  return body;
}
