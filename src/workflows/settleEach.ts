/**
 * Runs `work` for each item with at most `width` at once and never rejects: each item's failure is returned with it,
 * so one instance that cannot be started leaves the others, and whatever runs after them, untouched.
 */
import { mapAtMost } from '../azure/mapAtMost';

export interface Failed<T> {
  item: T;
  error: unknown;
}

export async function settleEach<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<Failed<T>[]> {
  const failed: Failed<T>[] = [];
  await mapAtMost(items, width, async (item) => {
    try {
      await work(item);
    } catch (error) {
      failed.push({ item, error });
    }
  });
  return failed;
}
