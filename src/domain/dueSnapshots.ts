/**
 * Which instances protected by snapshots need one now: none yet; the schedule came round since the newest; the newest
 * is about to be older than the RPO; or a burst of configuration changes has gone quiet since the newest.
 */
import { previousOccurrence } from './schedule';

export interface SnapshotProtected {
  name: string;
  schedule?: string;
  rpoMs: number;
  afterChange: boolean;
  quietMs: number;
}

export interface SnapshotDue {
  name: string;
  trigger: 'scheduled' | 'event';
  reason: string;
}

export function planDueSnapshots(
  services: SnapshotProtected[],
  newest: Map<string, number>,
  changes: Map<string, { lastAt?: string }>,
  now: Date,
  tickMs: number,
): SnapshotDue[] {
  const due: SnapshotDue[] = [];
  for (const s of services) {
    const last = newest.get(s.name.toLowerCase());
    if (last === undefined) {
      due.push({ name: s.name, trigger: 'scheduled', reason: 'no snapshot yet' });
      continue;
    }
    const scheduled = s.schedule ? previousOccurrence(s.schedule, now) : undefined;
    if (scheduled && scheduled.getTime() > last) {
      due.push({ name: s.name, trigger: 'scheduled', reason: `scheduled at ${scheduled.toISOString()}` });
      continue;
    }
    // Two ticks of lead: the snapshot is taken before the newest one is older than the RPO.
    if (now.getTime() - last >= s.rpoMs - 2 * tickMs) {
      due.push({ name: s.name, trigger: 'scheduled', reason: 'the RPO would be exceeded' });
      continue;
    }
    const lastAt = changes.get(s.name.toLowerCase())?.lastAt;
    const changedAt = lastAt ? Date.parse(lastAt) : undefined;
    if (s.afterChange && changedAt !== undefined && changedAt > last && now.getTime() - changedAt >= s.quietMs) {
      due.push({ name: s.name, trigger: 'event', reason: 'configuration changed' });
    }
  }
  return due;
}
