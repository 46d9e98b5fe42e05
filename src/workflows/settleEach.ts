/**
 * Runs `work` for each item with at most `width` at once and never rejects: each item's failure is returned with it,
 * so one instance that cannot be started leaves the others, and whatever runs after them, untouched.
 */
export interface Failed<T> {
  item: T;
  error: unknown;
}

export async function settleEach<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<Failed<T>[]> {
  const failed: Failed<T>[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return failed;
}
