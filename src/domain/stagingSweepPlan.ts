/**
 * Which staged runs the daily sweep removes (a snapshot's parts, an apply's plan and step outcomes, left by a run that
 * failed, was terminated or whose host died). Only blobs apim-dr wrote and tagged for that very run are ever removed,
 * only when their newest write is older than the safe age, and never while the run's orchestration is still running.
 */

/** The index tags every staged blob carries: what it is, whose run, and when apim-dr wrote it. */
export const STAGING_TAG = { name: 'apimdr', value: 'staging' } as const;

export function stagingTags(runId: string, writtenAt: Date): Record<string, string> {
  return { [STAGING_TAG.name]: STAGING_TAG.value, run: runId, writtenAt: writtenAt.toISOString() };
}

export interface StagedBlob {
  name: string;
  tags: Record<string, string>;
}

export interface StagedRun {
  /** `snapshot-staging/<run>/`. */
  folder: string;
  run: string;
  /** apim-dr's blobs of this run (tagged for it), with when each was written. */
  owned: { name: string; writtenAt: number }[];
  /** Anything else under the folder: never removed. */
  foreign: string[];
}

/** What the task hub says of a run's orchestration: running (and since when), ended, or unknown (purged, in-process). */
export type RunLiveness = { state: 'active'; createdAt?: number } | { state: 'ended' } | { state: 'unknown' };

export type StagingReason = 'live' | 'recent' | 'ended';

export interface StagingDecision {
  folder: string;
  run: string;
  action: 'remove' | 'keep';
  reason: StagingReason;
  blobs: string[];
  newestWrite: string;
}

/** Groups a listing under one staging prefix by run folder; a blob is the run's when its tags name that run. */
export function groupStaged(prefix: string, blobs: readonly StagedBlob[]): StagedRun[] {
  const runs = new Map<string, StagedRun>();
  for (const blob of blobs) {
    const rest = blob.name.slice(prefix.length);
    const slash = rest.indexOf('/');
    // A blob directly under the prefix belongs to no run: foreign, in a folder of its own name.
    const run = slash > 0 ? rest.slice(0, slash) : '';
    const folder = `${prefix}${run}${run ? '/' : ''}`;
    const entry = runs.get(folder) ?? { folder, run, owned: [], foreign: [] };
    runs.set(folder, entry);
    const writtenAt = Date.parse(blob.tags.writtenAt ?? '');
    const ours = run !== '' && blob.tags[STAGING_TAG.name] === STAGING_TAG.value && blob.tags.run === run && Number.isFinite(writtenAt);
    if (ours) entry.owned.push({ name: blob.name, writtenAt });
    else entry.foreign.push(blob.name);
  }
  return [...runs.values()];
}

/** The orchestration a run ID names (`<instanceId>.<ms>`: the orchestration's time when the run began), if any. */
export function runOrchestration(run: string): { instanceId: string; startedAt: number } | undefined {
  const dot = run.lastIndexOf('.');
  const startedAt = Number(run.slice(dot + 1));
  if (dot <= 0 || !/^\d{10,}$/.test(run.slice(dot + 1)) || !Number.isSafeInteger(startedAt)) return undefined;
  return { instanceId: run.slice(0, dot), startedAt };
}

/**
 * Younger than `safeAgeMs` since its newest write: kept (a live run writes at least once per activity). Older: removed
 * unless its orchestration runs — the same incarnation (created no later than the run began or last wrote), not a later
 * start of the same singleton ID. `liveness` is asked only for the old ones.
 */
export async function planStagingSweep(
  runs: readonly StagedRun[],
  now: Date,
  safeAgeMs: number,
  liveness: (run: string) => Promise<RunLiveness>,
): Promise<StagingDecision[]> {
  const decisions: StagingDecision[] = [];
  for (const run of runs) {
    if (run.owned.length === 0) continue;
    const newest = Math.max(...run.owned.map((b) => b.writtenAt));
    const decide = (action: StagingDecision['action'], reason: StagingReason): StagingDecision => ({
      folder: run.folder,
      run: run.run,
      action,
      reason,
      blobs: run.owned.map((b) => b.name),
      newestWrite: new Date(newest).toISOString(),
    });
    if (now.getTime() - newest < safeAgeMs) {
      decisions.push(decide('keep', 'recent'));
      continue;
    }
    const status = await liveness(run.run);
    // A live run was created before it began and before it wrote; a later start of the same ID only after this run ended.
    const began = Math.max(runOrchestration(run.run)?.startedAt ?? 0, newest);
    const sameRun = status.state === 'active' && (status.createdAt === undefined || status.createdAt <= began);
    decisions.push(sameRun ? decide('keep', 'live') : decide('remove', 'ended'));
  }
  return decisions;
}
