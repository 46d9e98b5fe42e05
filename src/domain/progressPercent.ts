/** How far along a watched operation (backup, restore, migration) is, from its elapsed time against the expected. */

/** Percent of the expected duration since the operation started; held at 99 until it has settled. */
export function progressPercent(elapsedMs: number, expectedMs: number): number {
  return Math.max(0, Math.min(99, Math.floor((100 * elapsedMs) / expectedMs)));
}
