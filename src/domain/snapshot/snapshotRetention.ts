/** Which of one instance's snapshots to retire: older than the retention, beyond the newest `kept`. */

export interface DatedSnapshot {
  snapshotName: string;
  takenAt: string;
}

export function planSnapshotRetention(entries: DatedSnapshot[], now: Date, retentionMs: number, kept: number): string[] {
  const newestFirst = [...entries].sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return newestFirst
    .slice(kept)
    .filter((e) => now.getTime() - Date.parse(e.takenAt) > retentionMs)
    .map((e) => e.snapshotName);
}
