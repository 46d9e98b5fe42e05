/**
 * Which of one instance's snapshots to retire. The newest `kept` whole snapshots stay however old; any other goes
 * once older than the retention. A scoped snapshot (the way back of an `--only` apply: part of the instance) takes no
 * place among the newest kept — a burst of `--only` applies must not push the last whole snapshots out — and never
 * outlives the retention, however few there are.
 */

export interface DatedSnapshot {
  snapshotName: string;
  takenAt: string;
  /** Holds part of the instance (`scope=part`). */
  scoped?: boolean;
}

export function planSnapshotRetention(entries: DatedSnapshot[], now: Date, retentionMs: number, kept: number): string[] {
  const newestFirst = [...entries].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  const newestWhole = new Set(
    newestFirst
      .filter((e) => !e.scoped)
      .slice(0, kept)
      .map((e) => e.snapshotName),
  );
  return newestFirst.filter((e) => !newestWhole.has(e.snapshotName) && now.getTime() - Date.parse(e.takenAt) > retentionMs).map((e) => e.snapshotName);
}
