/**
 * When to check a long-running operation next. Where earlier runs of the same operation finished is its
 * completion window: checks are sparse before it, dense inside it and at the configured interval after it, and up
 * to the window's end they are no more than polling at the interval throughout would make. So completion is seen
 * sooner for the same number of ARM requests. Without history, the configured interval. Pure.
 */

/** Elapsed times (from the operation's start) between which earlier runs finished, with a margin either side. */
export interface CompletionWindow {
  fromMs: number;
  toMs: number;
}

/** Before the window, checks are up to this many poll intervals apart. */
export const SPARSE_FACTOR = 4;

/** Inside it, checks are never closer than this fraction of the poll interval. */
export const DENSE_FLOOR = 1 / 4;

/** Margin around the shortest and longest earlier durations: a run a little off its history still lands inside. */
const MARGIN = 0.1;

/** The window from earlier durations (any order), or undefined without any. */
export function completionWindow(durationsMs: readonly number[]): CompletionWindow | undefined {
  const valid = durationsMs.filter((ms) => ms > 0);
  if (valid.length === 0) return undefined;
  const seconds = (ms: number) => Math.round(ms / 1_000) * 1_000;
  return { fromMs: seconds(Math.min(...valid) * (1 - MARGIN)), toMs: seconds(Math.max(...valid) * (1 + MARGIN)) };
}

/**
 * The interval inside the window: the checks polling at `pollMs` would make up to the window's end, less those
 * spent before it, spread over the window; between a quarter and one poll interval.
 */
export function denseIntervalMs(window: CompletionWindow, pollMs: number): number {
  const budget = window.toMs / pollMs - window.fromMs / (SPARSE_FACTOR * pollMs);
  const spread = (window.toMs - window.fromMs) / Math.max(1, budget);
  // Whole seconds, as an operator would set them.
  return Math.max(1_000, Math.round(Math.min(pollMs, Math.max(pollMs * DENSE_FLOOR, spread)) / 1_000) * 1_000);
}

/** How long to wait before the next check, `elapsedMs` after the operation started. */
export function nextCheckInMs(elapsedMs: number, pollMs: number, window?: CompletionWindow): number {
  if (!window || pollMs <= 0 || elapsedMs >= window.toMs) return pollMs;
  const dense = denseIntervalMs(window, pollMs);
  if (elapsedMs >= window.fromMs) return dense;
  // Land on the window's start rather than overshoot it.
  return Math.min(SPARSE_FACTOR * pollMs, Math.max(dense, window.fromMs - elapsedMs));
}
