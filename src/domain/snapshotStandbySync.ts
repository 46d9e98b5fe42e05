/**
 * What a standby kept by snapshots holds and how far behind its source it is, from the newest apply into it: the
 * snapshot counterpart of `standbySync`. An apply from another source (or of another instance's snapshot) leaves it
 * `diverged` until a sync from its source brings it back.
 */
import type { ApplyRecord } from './snapshot/applyRecord';
import { snapshotNameTime } from './snapshot/snapshotManifest';
import { HOLDS, SYNCABLE } from './snapshotSyncPlan';
import type { StandbySync, StandbySyncState } from './standbySync';

/** `records` are the standby's apply records, newest first; `sourceSnapshots` the source's snapshot names, newest first. */
export function snapshotStandbySync(
  standby: { service: string; sync: string },
  source: string,
  sourceSnapshots: readonly string[],
  records: readonly ApplyRecord[],
): StandbySync {
  const latest = records.find((r) => r.state !== 'refused');
  const lastGood = records.find(HOLDS);
  const fromSource = lastGood !== undefined && lastGood.source.toLowerCase() === source.toLowerCase();
  const heldAt = fromSource ? snapshotNameTime(lastGood.snapshotName) : 0;
  const newestAt = snapshotNameTime(sourceSnapshots.find(SYNCABLE));
  const lagMs = heldAt ? Math.max(0, (newestAt || heldAt) - heldAt) : undefined;
  const state: StandbySyncState =
    latest?.state === 'failed' ? 'failed' : lastGood && !fromSource ? 'diverged' : lagMs === undefined ? 'never-restored' : lagMs === 0 ? 'in-sync' : 'behind';
  return {
    ...standby,
    via: 'snapshot',
    state,
    lagMs,
    ...(lastGood && !fromSource
      ? {
          holds: {
            snapshotName: lastGood.snapshotName,
            source: lastGood.source,
            purpose: lastGood.purpose,
            since: lastGood.completedAt,
            recordName: lastGood.recordName,
          },
        }
      : {}),
    lastApply: latest && {
      recordName: latest.recordName,
      snapshotName: latest.snapshotName,
      source: latest.source,
      purpose: latest.purpose,
      state: latest.state,
      verdict: latest.verdict,
      requestedBy: latest.requestedBy,
      startedAt: latest.startedAt,
      completedAt: latest.completedAt,
      rtoMs: latest.rtoMs,
      failed: latest.failed.length,
      mismatched: latest.verification?.mismatched.length ?? 0,
      ...secretsSkipped(latest),
    },
  };
}

/** Findings of a secret the apply wrote without, or a resource it left unwritten for want of one. */
const SECRET_CODES = new Set(['SecretNotCaptured', 'SecretRedacted']);

/** How many secrets an apply went without (resources unwritten, or written without them), and the settings it missed. */
function secretsSkipped(record: ApplyRecord): Pick<NonNullable<StandbySync['lastApply']>, 'secretsLeftOut' | 'missingSettings'> {
  const left = record.findingGroups
    ? record.findingGroups.filter((g) => SECRET_CODES.has(g.code)).reduce((n, g) => n + g.count, 0)
    : record.findings.filter((f) => SECRET_CODES.has(f.code)).length;
  return { ...(left ? { secretsLeftOut: left } : {}), ...(record.missingSettings?.length ? { missingSettings: record.missingSettings } : {}) };
}

/** What a standby's newest apply went without, for a reader: '2 secrets not supplied (app setting not set: APIM_DR_SECRET_X)'. */
export function secretsSkippedText(a: StandbySync['lastApply']): string | undefined {
  if (!a?.secretsLeftOut && !a?.missingSettings?.length) return undefined;
  const count = a.secretsLeftOut ? `${a.secretsLeftOut} secret${a.secretsLeftOut === 1 ? '' : 's'} not supplied` : 'secrets not supplied';
  const settings = a.missingSettings?.length ? ` (app setting${a.missingSettings.length === 1 ? '' : 's'} not set: ${a.missingSettings.join(', ')})` : '';
  return `${count}${settings}`;
}
