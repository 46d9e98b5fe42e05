/**
 * Snapshot apply records retire as restore records do (recordRetention, recordsKept per target), each with its
 * findings blob; and a findings blob whose record is gone (a retirement cut short) goes at the next sweep. Only blobs
 * apim-dr wrote for that record: named after it and a valid findings blob, tagged with it when no record vouches for it.
 */
import { snapshotApplyLog } from '../../azure/snapshot/applyLog';
import { APPLY_FINDINGS_PREFIX, APPLY_FINDINGS_TAG, ownsApplyFindings } from '../../azure/snapshot/applyFindingsStore';
import { JsonBlobStore } from '../../azure/jsonBlobStore';
import { applyFindingsBlob } from '../../domain/snapshot/applyRecord';
import type { Services } from '../../services';

export function applyRecordNames(services: Services): Promise<string[]> {
  return snapshotApplyLog(services.snapshots.container).names();
}

/**
 * Retires one apply record: its audit logged, its findings blob (the one it names, if apim-dr's) removed, then it.
 * True when it had such a blob (in a dry run: nothing logged or removed, only that said).
 */
export async function retireApplyRecord(services: Services, name: string, dryRun = false): Promise<boolean> {
  const log = snapshotApplyLog(services.snapshots.container);
  const r = (await log.read(name).catch(() => undefined))?.record;
  const blob = r?.findingsBlob ?? applyFindingsBlob(name);
  const container = services.snapshots.container;
  const owned = (await ownsApplyFindings(container, blob, name)).owned;
  if (dryRun) return owned;
  services.logger.event('apim-dr.snapshot.apply.record-retired', {
    recordName: name,
    ...(r
      ? {
          snapshotName: r.snapshotName,
          source: r.source,
          target: r.target,
          purpose: r.purpose,
          mode: r.mode,
          requestedBy: r.requestedBy,
          completedAt: r.completedAt,
          state: r.state,
          rtoMs: r.rtoMs,
        }
      : { unreadable: true }),
  });
  // The blob first: a sweep cut short between the two leaves a findings blob the next one finds without its record.
  if (owned) await new JsonBlobStore(container).remove(blob);
  await log.remove(name);
  return owned;
}

/**
 * Findings blobs whose record no longer exists: removed (dry run: counted) when tagged by apim-dr for that very record
 * and valid; anything else under the prefix is foreign and left. Logged as `apim-dr.sweep.apply-findings`.
 */
export async function sweepApplyFindings(services: Services, dryRun: boolean): Promise<{ removed: string[]; foreign: string[] }> {
  const container = services.snapshots.container;
  const store = new JsonBlobStore(container);
  const removed: string[] = [];
  const foreign: string[] = [];
  for (const { name, tags } of await store.list(APPLY_FINDINGS_PREFIX, true)) {
    const record = tags[APPLY_FINDINGS_TAG.name] === APPLY_FINDINGS_TAG.value ? tags[APPLY_FINDINGS_TAG.record] : undefined;
    if (!record || !(await ownsApplyFindings(container, name, record)).owned) {
      foreign.push(name);
      continue;
    }
    // Its record still there: it is the record's, and goes with it.
    if (await store.readText(record)) continue;
    removed.push(name);
    if (!dryRun) await store.remove(name);
  }
  if (removed.length || foreign.length) services.logger.event('apim-dr.sweep.apply-findings', { dryRun, removed, foreign: foreign.length });
  return { removed, foreign };
}
