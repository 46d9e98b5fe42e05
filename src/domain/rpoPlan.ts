/**
 * The RPO is the promise; the schedule serves it. How long an instance's backups take (from its own recent
 * history), how early a backup must start so that a failed one can still be retried and finish before the newest
 * restorable backup is older than the RPO, and whether a schedule can hold its RPO at all. Pure.
 */
import { formatDuration } from './duration';
import { nextOccurrence } from './schedule';

/** Without history: APIM backups take 15-20 minutes in practice; plan for 30. */
export const DEFAULT_BACKUP_MS = 30 * 60_000;

/** How many recent successes the expected duration is taken from. */
export const RECENT_SUCCESSES = 10;

export interface DurationStats {
  medianMs: number;
  p95Ms: number;
  /** How many successes they come from (0: the defaults). */
  samples: number;
}

type Timed = { state: string; createdAt: string; completedAt?: string };

/** How long the instance's recent successes took (request to completion); `entries` newest first. */
export function recentBackupDurations(entries: readonly Timed[]): number[] {
  return entries
    .filter((e) => e.state === 'succeeded' && e.completedAt)
    .slice(0, RECENT_SUCCESSES)
    .map((e) => Date.parse(e.completedAt!) - Date.parse(e.createdAt))
    .filter((ms) => ms > 0);
}

/** `entries`: one instance's catalog entries, newest first; a success counts when its completion is recorded. */
export function backupDurations(entries: readonly Timed[]): DurationStats {
  return durationStats(recentBackupDurations(entries));
}

/** The median and p95 of `durationsMs` (any order), or the defaults without any. */
export function durationStats(durationsMs: readonly number[]): DurationStats {
  const durations = [...durationsMs].sort((a, b) => a - b);
  if (durations.length === 0) return { medianMs: DEFAULT_BACKUP_MS, p95Ms: DEFAULT_BACKUP_MS, samples: 0 };
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.ceil(q * durations.length) - 1)]!;
  return { medianMs: at(0.5), p95Ms: at(0.95), samples: durations.length };
}

/**
 * How long before the RPO deadline a backup must start: one attempt and one retry after a failure, each taking
 * the p95 duration and each starting at a tick, so up to a tick late.
 */
export function rpoLeadMs(stats: DurationStats, tickMs: number): number {
  return 2 * (stats.p95Ms + tickMs);
}

/** The longest gap between two occurrences of `schedule` over the week after `from`. */
export function scheduleIntervalMs(schedule: string, from: Date): number {
  const end = from.getTime() + 8 * 86_400_000;
  let longest = 0;
  let previous = nextOccurrence(schedule, from);
  for (let i = 0; i < 10_000 && previous.getTime() < end; i++) {
    const next = nextOccurrence(schedule, previous);
    longest = Math.max(longest, next.getTime() - previous.getTime());
    previous = next;
  }
  return longest;
}

/** Why `schedule` alone cannot hold `rpoMs` (apim-dr then adds backups to hold it), or undefined when it can. */
export function scheduleRpoProblem(schedule: string, rpoMs: number, stats: DurationStats, from: Date): string | undefined {
  const intervalMs = scheduleIntervalMs(schedule, from);
  if (intervalMs + stats.p95Ms <= rpoMs) return undefined;
  const expected = stats.samples
    ? `its backups take up to ${formatDuration(stats.p95Ms)} (p95 of ${stats.samples})`
    : `a backup may take ${formatDuration(stats.p95Ms)}`;
  return (
    `schedule '${schedule}' leaves up to ${formatDuration(intervalMs)} between backups and ${expected}, more than the RPO of ${formatDuration(rpoMs)}: ` +
    `apim-dr adds backups to hold it; to keep backups on the schedule, run it at least every ${formatDuration(Math.max(0, rpoMs - 2 * stats.p95Ms))} or raise the RPO to ${formatDuration(intervalMs + 2 * stats.p95Ms)}`
  );
}
