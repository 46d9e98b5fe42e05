/** The ARM circuit step: probe each subscription with new work (and each one known to be down) before starting any. */
import type { ArmOutages } from '../../../azure/armHealth';
import type { DueBackup } from '../../../domain/dueBackups';
import type { ServiceRef } from '../../../domain/resourceId';
import type { Services } from '../../../services';
import { probeArm } from '../armCircuit';
import type { TickListing } from './listTick';

export async function checkArmCircuit(services: Services, listing: TickListing, allowed: readonly DueBackup[], correlationId: string): Promise<ArmOutages> {
  const { fleet, outages: before } = listing;
  const byId = new Map(fleet.map((s) => [s.ref.id.toLowerCase(), s]));
  const probes = new Map<string, ServiceRef>();
  for (const d of allowed) probes.set(d.service.subscriptionId, byId.get(d.service.id.toLowerCase())!.ref);
  for (const subscriptionId of Object.keys(before)) {
    const any = fleet.find((s) => s.ref.subscriptionId === subscriptionId);
    if (any && !probes.has(subscriptionId)) probes.set(subscriptionId, any.ref);
  }
  return probes.size ? await probeArm(services, before, probes, correlationId) : before;
}
