/** How far along an in-place migration is: only against what this instance's own earlier migrations took. */
import type { MigrationRecord } from './migrationRecord';
import { durationStats } from './rpoPlan';

/**
 * The median time `migrateToStv2` took on this instance before (an earlier one that failed and reverted, or one of a
 * rebuilt instance); undefined without one: Microsoft's "about 45 minutes" is no measure of this instance, so the
 * status then shows the phase and time elapsed, never a percent.
 */
export function expectedMigrationMs(history: readonly MigrationRecord[]): number | undefined {
  const durations = history.flatMap((r) => (r.kind === 'in-place' && r.state === 'succeeded' && r.durations?.migrationMs ? [r.durations.migrationMs] : []));
  return durations.length ? durationStats(durations).medianMs : undefined;
}
