/** What every benchmark shares: rounding for its JSON, and running main() with a non-zero exit on failure. */

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function runBenchmark(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
