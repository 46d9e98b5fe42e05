/** Debouncing configuration changes per instance: pure state, kept in storage between events and ticks. */
import { z } from 'zod';

export interface PendingChanges {
  /** First and last change of the burst not yet covered by a backup. */
  firstAt?: string;
  lastAt?: string;
  count: number;
  /** Ids of the changes in the burst (the first few, for the backup's record). */
  ids: string[];
  /** Recently seen event ids: Event Grid delivers at least once. */
  seen: string[];
}

/** `events/<service>.json` as stored: read through this, never trusted as written. */
export const pendingChangesSchema = z.object({
  firstAt: z.string().optional(),
  lastAt: z.string().optional(),
  count: z.number().int().nonnegative(),
  ids: z.array(z.string()),
  seen: z.array(z.string()),
}) satisfies z.ZodType<PendingChanges>;

export const EMPTY_CHANGES: PendingChanges = { count: 0, ids: [], seen: [] };
const KEEP_IDS = 20;
const KEEP_SEEN = 500;

/** Adds one change; a redelivered event (same id) changes nothing. */
export function recordChange(state: PendingChanges, change: { id: string; at: string }): PendingChanges {
  if (state.seen.includes(change.id)) return state;
  const firstAt = !state.firstAt || change.at < state.firstAt ? change.at : state.firstAt;
  const lastAt = !state.lastAt || change.at > state.lastAt ? change.at : state.lastAt;
  return {
    firstAt,
    lastAt,
    count: state.count + 1,
    ids: state.ids.length < KEEP_IDS ? [...state.ids, change.id] : state.ids,
    seen: [...state.seen, change.id].slice(-KEEP_SEEN),
  };
}

/** A burst is due once it has been quiet for `quietMs`, or at the latest `maxDelayMs` after its first change. */
export function isBurstDue(state: Pick<PendingChanges, 'count' | 'firstAt' | 'lastAt'>, now: Date, quietMs: number, maxDelayMs: number): boolean {
  if (!state.count || !state.firstAt || !state.lastAt) return false;
  const t = now.getTime();
  return t - Date.parse(state.lastAt) >= quietMs || t - Date.parse(state.firstAt) >= maxDelayMs;
}

/**
 * Hands the burst to a backup. The tick consumes before it requests the backup, so a change recorded after
 * that (even one the backup happens to include) stays pending for one follow-up: none is ever lost.
 */
export function consumeBurst(state: PendingChanges): PendingChanges {
  return { ...EMPTY_CHANGES, seen: state.seen };
}
