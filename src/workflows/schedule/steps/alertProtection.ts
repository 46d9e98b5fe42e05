/** The RPO step: open and close each instance's protection incidents from the catalog as listed. */
import type { ArmOutages } from '../../../azure/armHealth';
import { closuresOutsideFleet } from '../../../domain/incidentClosures';
import type { Services } from '../../../services';
import { configuredInstanceNames } from '../../sweep/planSweep';
import { assessFleet, emitProtectionAlerts } from '../../status/assessFleet';
import type { TickListing } from './listTick';

export async function alertProtection(services: Services, listing: TickListing, outages: ArmOutages, correlationId: string): Promise<void> {
  const { fleet, snapshotOnly, catalog, now } = listing;
  // While ARM is down in a subscription, its instances' RPO incidents neither open nor close: the outage is the incident.
  const quiet = new Set(fleet.filter((s) => outages[s.ref.subscriptionId]).map((s) => s.ref.name.toLowerCase()));
  const backedUp = assessFleet(services, catalog.entries, now).filter((p) => !snapshotOnly.has(p.service.toLowerCase()));
  // Gone from the config and from discovery: its deletion and refused operations can no longer be acted on.
  const outside = closuresOutsideFleet(configuredInstanceNames(services.config), now.toISOString());
  await emitProtectionAlerts(services, backedUp, correlationId, quiet, outside);
}
