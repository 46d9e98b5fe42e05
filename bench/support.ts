/** What every benchmark shares: rounding for its JSON, running main() with a non-zero exit on failure, a fleet. */
import type { SandboxServiceSpec } from '../dev/sandbox/model';

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

/** `instances` sandbox instances spread round-robin over `subscriptions`, Premium and Standard, in two regions. */
export function fleetSpecs(instances: number, subscriptions: number): SandboxServiceSpec[] {
  return Array.from({ length: instances }, (_, i) => ({
    subscriptionId: `00000000-0000-0000-0000-${String(i % subscriptions).padStart(12, '0')}`,
    resourceGroup: `rg-fleet-${i % subscriptions}`,
    name: `fleet-${String(i).padStart(4, '0')}`,
    location: i % 2 ? 'West Europe' : 'North Europe',
    sku: { name: i % 3 ? 'Premium' : 'Standard', capacity: 1 },
    configuration: { apis: ['a', 'b'], products: ['p'], namedValues: [] },
  }));
}
