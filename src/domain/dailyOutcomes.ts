/**
 * One instance's backups per UTC day as counts (succeeded, failed), what the dashboard's timeline draws: kept current
 * as backups settle and rebuilt from a catalog listing, so that a dashboard view reads a few numbers per day shown
 * instead of every backup kept. Pure.
 */
import type { DigestEntry } from './catalogDigest';

export interface DayOutcomes {
  succeeded: number;
  failed: number;
  /** When the day's newest success was requested: once it has expired, every success of that day has. */
  newestSuccessAt?: string;
}

/** UTC day (`yyyy-MM-dd`) → its outcomes. Days without a settled backup are absent. */
export type DailyOutcomes = Record<string, DayOutcomes>;

type Outcome = 'succeeded' | 'failed';

/** The day a backup counts on: the UTC day it was requested. */
export const dayOf = (iso: string): string => iso.slice(0, 10);

/** What a state counts as: an expired backup had succeeded; a running one has no outcome yet. */
function outcomeOf(state: DigestEntry['state']): Outcome | undefined {
  if (state === 'succeeded' || state === 'expired') return 'succeeded';
  return state === 'failed' ? 'failed' : undefined;
}

function add(days: DailyOutcomes, entry: Pick<DigestEntry, 'createdAt'>, outcome: Outcome, by: 1 | -1): void {
  const key = dayOf(entry.createdAt);
  const day = days[key] ?? { succeeded: 0, failed: 0 };
  day[outcome] = Math.max(0, day[outcome] + by);
  if (outcome === 'succeeded' && by > 0 && (!day.newestSuccessAt || entry.createdAt > day.newestSuccessAt)) day.newestSuccessAt = entry.createdAt;
  if (day.succeeded === 0) delete day.newestSuccessAt;
  if (day.succeeded === 0 && day.failed === 0) delete days[key];
  else days[key] = day;
}

/** The counts of a listing's entries (any order). */
export function dailyOutcomesOf(entries: readonly Pick<DigestEntry, 'createdAt' | 'state'>[]): DailyOutcomes {
  const days: DailyOutcomes = {};
  for (const e of entries) {
    const outcome = outcomeOf(e.state);
    if (outcome) add(days, e, outcome, 1);
  }
  return days;
}

/**
 * The counts after a backup's entry went from `before` (as last recorded, if known) to `after`. Idempotent: recording
 * the same outcome twice (an activity run again) counts it once, as long as `before` is the entry recorded the first
 * time. A backup whose earlier state is unknown and that settles is counted; the daily rebuild corrects any drift.
 */
export function recordOutcome(
  days: DailyOutcomes,
  before: Pick<DigestEntry, 'createdAt' | 'state'> | undefined,
  after: Pick<DigestEntry, 'createdAt' | 'state'>,
): void {
  const was = before && outcomeOf(before.state);
  const is = outcomeOf(after.state);
  if (was === is) return;
  if (was) add(days, before, was, -1);
  if (is) add(days, after, is, 1);
}

/** Only the days from `firstDay` on (older ones are past anything shown). */
export function daysFrom(days: DailyOutcomes, firstDay: string): DailyOutcomes {
  return Object.fromEntries(Object.entries(days).filter(([day]) => day >= firstDay));
}

/** Both versions' days, the larger count winning (for two writers who each counted part of the same day). */
export function unionOutcomes(ours: DailyOutcomes, theirs: DailyOutcomes): DailyOutcomes {
  const out: DailyOutcomes = { ...ours };
  for (const [key, their] of Object.entries(theirs)) {
    const mine = out[key];
    if (!mine) out[key] = their;
    else {
      const newest = [mine.newestSuccessAt, their.newestSuccessAt]
        .filter((x): x is string => !!x)
        .sort()
        .pop();
      out[key] = {
        succeeded: Math.max(mine.succeeded, their.succeeded),
        failed: Math.max(mine.failed, their.failed),
        ...(newest ? { newestSuccessAt: newest } : {}),
      };
    }
  }
  return out;
}
