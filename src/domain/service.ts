/** The facts about an APIM instance that backup, restore and their checks depend on. */

export interface ServiceSnapshot {
  id: string;
  name: string;
  location: string;
  sku: { name: string; capacity: number };
  provisioningState: string;
  platformVersion: string;
  additionalLocations: string[];
  virtualNetworkType: string;
  hostnames: string[];
  customProperties: Record<string, string>;
  identity: { type: string; userAssignedClientIds: string[] };
  developerPortalStatus?: string;
  publicNetworkAccess?: string;
  zones: string[];
  /** Each region (the primary first) with its own platform and IPs; absent in manifests written before it existed. */
  regions?: RegionSnapshot[];
}

export interface RegionSnapshot {
  location: string;
  platformVersion: string;
  publicIPAddresses: string[];
  /** The subnet a VNet-injected region runs in. */
  subnetId?: string;
}

export interface Inventory {
  apis: number;
  products: number;
  namedValues: number;
}

/** Tiers whose instances cannot be backed up or restored at all. */
export const UNSUPPORTED_TIERS = ['Consumption', 'BasicV2', 'StandardV2', 'PremiumV2'] as const;

export function isTierSupported(sku: string): boolean {
  return !(UNSUPPORTED_TIERS as readonly string[]).includes(sku);
}
