/**
 * API revisions and releases in the sandbox, as the specification (apimapis.json, apimapirevisions.json,
 * apimapireleases.json, 2024-05-01) shapes them. The current revision is `apis/{a}`; every other revision is
 * `apis/{a};rev={n}`, with its own children; `apis/{a};rev={current}` names the current one. `GET apis` lists current
 * revisions only; `apis/{a}/revisions` lists them all (read-only). A new revision is a PUT of `apis/{a};rev={n}` naming
 * a `sourceApiId`, and starts as a copy of that revision, children included. Creating a release makes the revision its
 * `apiId` names current. Fields of the API itself (display name, path, protocols, …) belong to every revision: a
 * non-current revision takes the current's, and a PUT there that would change them is refused. A workspace's APIs
 * (`workspaces/{w}/apis/{a}`) have revisions and releases by the same rules (WorkspaceApiRevision, WorkspaceApiRelease):
 * an API is named here by its root, `apis/{a}` or `workspaces/{w}/apis/{a}`.
 */
import { API_LEVEL_FIELDS, apiPlace, revisionNumber, revisionOf } from '../../src/domain/snapshot/apiRevisions';
import type { StoredResource } from './configApi';

export { API_LEVEL_FIELDS, apiPlace, revisionNumber, revisionOf };

type Store = Record<string, StoredResource>;

/** The current revision's number (`1` unless a release or the API's creation said otherwise). */
export function currentRevision(store: Store, root: string): string | undefined {
  const api = store[root.toLowerCase()];
  return api ? (revisionNumber(api.properties.apiRevision) ?? '1') : undefined;
}

/**
 * `apis/orders;rev=2/…` → `apis/orders/…` when revision 2 is current: the same resource under its two names. Returns
 * the segments unchanged otherwise, with whether the request named the current revision by its number.
 */
export function resolveRevisionAlias(store: Store, segments: string[]): { segments: string[]; aliased: boolean } {
  const place = apiPlace(segments.join('/'));
  if (!place || place.rev === undefined || currentRevision(store, place.root) !== place.rev) return { segments, aliased: false };
  return { segments: [...place.root.split('/'), ...place.rest], aliased: true };
}

/** The ApiRevisionContract list of one API: every revision, current first, read-only. */
export function listRevisions(store: Store, rootKey: string): Record<string, unknown>[] {
  const current = currentRevision(store, rootKey);
  if (current === undefined) return [];
  const root = store[rootKey.toLowerCase()]!;
  const api = apiPlace(root.path)!.api;
  const others = Object.values(store)
    .filter((r) => apiPlace(r.path)?.rest.length === 0 && r.path.toLowerCase().startsWith(`${rootKey.toLowerCase()};rev=`))
    .map((r) => ({ rev: apiPlace(r.path)!.rev!, resource: r }));
  const rows = [{ rev: current, resource: root }, ...others];
  return rows.map(({ rev, resource }) => ({
    apiId: `/${root.path};rev=${rev}`,
    apiRevision: rev,
    createdDateTime: '2026-01-01T00:00:00Z',
    updatedDateTime: '2026-01-01T00:00:00Z',
    description: resource.properties.apiRevisionDescription,
    privateUrl: rev === current ? undefined : `/${typeof root.properties.path === 'string' ? root.properties.path : api};rev=${rev}`,
    isOnline: true,
    isCurrent: rev === current,
  }));
}

/** Why a PUT of a non-current revision is refused (an API-level field changed, a wrong `apiRevision`), or undefined. */
export function refusedRevisionPut(store: Store, rootKey: string, rev: string, properties: Record<string, unknown>): string | undefined {
  const numbered = revisionNumber(properties.apiRevision);
  if (properties.apiRevision !== undefined && numbered !== rev) return `'apiRevision' is '${numbered}' but the path names revision '${rev}'.`;
  const root = store[rootKey.toLowerCase()]!;
  const api = apiPlace(root.path)!.api;
  for (const field of API_LEVEL_FIELDS) {
    if (properties[field] !== undefined && JSON.stringify(properties[field]) !== JSON.stringify(root.properties[field]))
      return `'${field}' cannot be changed on a non-current revision ('${api};rev=${rev}'); change it on the current revision.`;
  }
  return undefined;
}

/** A new revision starts as a copy of its source's children (operations, policies, schemas, tags, …), releases aside. */
export function copyChildren(store: Store, source: string, target: string, etag: () => string): void {
  for (const [key, resource] of Object.entries(store)) {
    if (!key.startsWith(`${source}/`) || key.startsWith(`${source}/releases/`)) continue;
    const rest = resource.path.slice(source.length + 1);
    store[`${target.toLowerCase()}/${rest.toLowerCase()}`] = { path: `${target}/${rest}`, properties: structuredClone(resource.properties), etag: etag() };
  }
}

/**
 * A release was created: its revision becomes current. The current revision's resources move to `;rev={old}` and the
 * released one's to `apis/{a}`; releases stay with the API.
 */
export function makeCurrent(store: Store, rootKey: string, rev: string): void {
  const old = currentRevision(store, rootKey);
  if (old === undefined || old === rev) return;
  const root = store[rootKey.toLowerCase()]!;
  const currentKey = rootKey.toLowerCase();
  const releasedKey = `${currentKey};rev=${rev.toLowerCase()}`;
  const shared = Object.fromEntries(API_LEVEL_FIELDS.filter((f) => root.properties[f] !== undefined).map((f) => [f, root.properties[f]]));
  const moved: Store = {};
  const move = (fromKey: string, toName: string) => {
    for (const [key, resource] of Object.entries(store)) {
      if (key !== fromKey && !key.startsWith(`${fromKey}/`)) continue;
      if (key.startsWith(`${currentKey}/releases/`)) continue;
      delete store[key];
      const rest = resource.path.slice(fromKey.length);
      const path = `${toName}${rest}`;
      moved[path.toLowerCase()] = { ...resource, path };
    }
  };
  move(currentKey, `${root.path};rev=${old}`);
  move(releasedKey, root.path);
  Object.assign(store, moved);
  // The API's own fields stay the API's: the released revision takes them over.
  Object.assign(store[currentKey]!.properties, shared, { apiRevision: rev });
}
