/**
 * apim-dr's own temporary release (`apim-dr-current`, apiRevisions.ts) left on a target by an apply that died between
 * creating it and deleting it. It is apim-dr's when both its name and its notes are the ones apim-dr writes: a release
 * anyone else made (another name, or other notes) is never touched. Deleting a release changes nothing current (a
 * release is a change log entry; only creating one makes its revision current), so even a release someone named and
 * annotated exactly as apim-dr does would lose only that entry. Pure.
 */
import type { PlannedWrite } from './applyPlan';
import { apiPlace, isRelease, RELEASES_WAVE, TEMPORARY_RELEASE, TEMPORARY_RELEASE_NOTES } from './apiRevisions';
import type { SnapshotResource } from './captureResource';

/** Whether a release is one apim-dr created to make a revision current: its name and apim-dr's notes. */
export function isOwnTemporaryRelease(resource: SnapshotResource): boolean {
  if (!isRelease(resource.path)) return false;
  return TEMPORARY_RELEASE.test(apiPlace(resource.path)!.rest[1]!) && resource.properties?.notes === TEMPORARY_RELEASE_NOTES;
}

/** A snapshot taken while a leftover was there (a way-back snapshot, say) carries nothing of it to apply or verify. */
export function withoutOwnTemporaryReleases<T extends { resources: SnapshotResource[] }>(snapshot: T): T {
  return snapshot.resources.some(isOwnTemporaryRelease) ? { ...snapshot, resources: snapshot.resources.filter((r) => !isOwnTemporaryRelease(r)) } : snapshot;
}

/**
 * Deletes of the leftovers on the target under the APIs the apply covers (`inScope`, by the API's lowercased path),
 * in merge mode too: apim-dr made them, and they say nothing the snapshot holds.
 */
export function leftoverReleaseDeletes(target: Map<string, SnapshotResource>, inScope: (apiKey: string) => boolean, writes: PlannedWrite[]): PlannedWrite[] {
  const planned = new Set(writes.map((w) => w.path.toLowerCase()));
  return [...target.values()]
    .filter((r) => isOwnTemporaryRelease(r) && !planned.has(r.path.toLowerCase()) && inScope(apiPlace(r.path)!.root.toLowerCase()))
    .map((r) => ({ op: 'delete' as const, path: r.path, wave: RELEASES_WAVE }));
}
