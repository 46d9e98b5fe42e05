/** What Microsoft documents about the move off stv1, and how an instance's platform reads per region. */
import type { ServiceSnapshot } from './service';

export type MigrationMode = 'PreserveIp' | 'NewIP';

/** Only these tiers were ever hosted on stv1. */
export const STV1_TIERS = ['Developer', 'Basic', 'Standard', 'Premium'];

/** What Microsoft documents for the operation (minutes). */
export const MIGRATION_FACTS = {
  expectedMs: 45 * 60_000,
  /** Still `Updating` after this long: open a support case. */
  supportCaseAfterMs: 2 * 60 * 60_000,
  preserveIpDowntimeMinutes: 15,
  preserveIpLockMinutes: 45,
  newIpLockMinutes: 30,
  newIpOldComputeMinutes: 15,
};

/** stv2.1 is stv2 on newer hardware, which Azure may move an instance to by itself: it counts as migrated. */
export function isMigrated(platformVersion: string): boolean {
  return platformVersion === 'stv2' || platformVersion === 'stv2.1';
}

/** Every region with its platform; manifests written before regions were recorded know only the primary's. */
export function regionsOf(service: ServiceSnapshot): { location: string; platformVersion: string; publicIPAddresses: string[]; subnetId?: string }[] {
  return service.regions?.length
    ? service.regions
    : [service.location, ...service.additionalLocations].map((location) => ({ location, platformVersion: service.platformVersion, publicIPAddresses: [] }));
}

export function describeRegions(regions: { location: string; platformVersion: string }[]): string {
  return regions.map((r) => `${r.platformVersion} in ${r.location}`).join(', ');
}
