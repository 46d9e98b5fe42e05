/** How far along a restore is: elapsed time against what restores into the same target have taken before. */
import type { RestoreRecord } from './restoreRecord';

/** Without history: APIM restores take "30+ minutes"; 45 is the middle of what operators report. */
export const DEFAULT_RESTORE_MS = 45 * 60_000;

/** How long (POST to verified) the target's recent successful restores took. */
export function restoreDurations(history: readonly RestoreRecord[]): number[] {
  return history
    .filter((r) => r.state === 'succeeded' && r.startedAt && r.completedAt)
    .map((r) => Date.parse(r.completedAt!) - Date.parse(r.startedAt!))
    .filter((ms) => ms > 0);
}

/** The median of those durations, or the default. */
export function expectedRestoreMs(history: readonly RestoreRecord[]): number {
  const durations = restoreDurations(history).sort((a, b) => a - b);
  if (durations.length === 0) return DEFAULT_RESTORE_MS;
  const mid = Math.floor(durations.length / 2);
  return durations.length % 2 ? durations[mid]! : Math.round((durations[mid - 1]! + durations[mid]!) / 2);
}
