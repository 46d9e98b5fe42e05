/** An idle Premium instance on stv1 as ARM shows it, one region per entry of `regions` (one by default). */
import type { RegionSnapshot, ServiceSnapshot } from '../../src/domain/service';

export function stv1Snapshot(over: Partial<ServiceSnapshot> = {}, regions?: Partial<RegionSnapshot>[]): ServiceSnapshot {
  const base: ServiceSnapshot = {
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-old',
    name: 'apim-old',
    location: 'West Europe',
    sku: { name: 'Premium', capacity: 1 },
    provisioningState: 'Succeeded',
    platformVersion: 'stv1',
    additionalLocations: [],
    virtualNetworkType: 'None',
    hostnames: ['apim-old.azure-api.net'],
    customProperties: {},
    identity: { type: 'SystemAssigned', userAssignedClientIds: [] },
    zones: [],
    ...over,
  };
  const platformVersion = over.platformVersion ?? 'stv1';
  return {
    ...base,
    regions: (regions ?? [{}]).map((r, i) => ({
      location: i === 0 ? base.location : `Region ${i}`,
      platformVersion,
      publicIPAddresses: [`20.0.0.${i + 1}`],
      ...r,
    })),
  };
}
