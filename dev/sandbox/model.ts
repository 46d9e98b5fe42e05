import type { StoredResource } from './configApi';

/** The sandbox's picture of APIM instances: ARM-shaped resources plus the configuration a backup carries. */
import { isBusy } from '../../src/domain/provisioningState';

export interface SandboxConfiguration {
  apis: string[];
  products: string[];
  namedValues: string[];
  /** Every configuration resource by lowercased path (dev/sandbox/configApi.ts); the lists above name the top-level ones. */
  resources?: Record<string, StoredResource>;
}

export interface SandboxIdentity {
  type: 'None' | 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned';
  userAssignedClientIds?: string[];
}

export interface SandboxServiceSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  sku: { name: string; capacity: number };
  platformVersion?: string;
  identity?: SandboxIdentity;
  configuration?: Partial<SandboxConfiguration>;
  workspaceGateways?: string[];
  additionalLocations?: string[];
  virtualNetworkType?: 'None' | 'External' | 'Internal';
  /** The subnet of a VNet-injected instance (one is made up from its name when not given). */
  subnetId?: string;
  hostnames?: string[];
  customProperties?: Record<string, string>;
  /** Azure tags; tag discovery finds instances by them (see resourceGraph.ts). */
  tags?: Record<string, string>;
}

export interface SandboxService {
  spec: SandboxServiceSpec;
  id: string;
  /** Any of the specification's states (Created, Activating, Updating, Terminating, …); ARM adds states over time. */
  provisioningState: string;
  /** Starts as the spec's (default stv2); a successful migration moves every region to stv2. */
  platformVersion: string;
  /** Bumped when the instance gets new public IPs (a NewIP migration). */
  ipGeneration: number;
  configuration: SandboxConfiguration;
  /** Roles the caller lacks on this instance (to simulate a missing role assignment). */
  deniedActions: Set<string>;
}

export function toArmResource(service: SandboxService): Record<string, unknown> {
  const { spec } = service;
  const vnet = spec.virtualNetworkType && spec.virtualNetworkType !== 'None';
  const region = (location: string) => ({
    publicIPAddresses: [fakeIp(`${service.id}/${location}/${service.ipGeneration}`)],
    platformVersion: service.platformVersion,
    ...(vnet ? { virtualNetworkConfiguration: { subnetResourceId: subnetId(spec, location) } } : {}),
  });
  const identity = spec.identity ?? { type: 'SystemAssigned' };
  const hostnames = spec.hostnames ?? [`${spec.name}.azure-api.net`];
  return {
    id: service.id,
    name: spec.name,
    type: 'Microsoft.ApiManagement/service',
    location: spec.location,
    sku: spec.sku,
    identity: {
      type: identity.type,
      ...(identity.type.includes('SystemAssigned') ? { principalId: fakeGuid(`${service.id}/principal`), tenantId: fakeGuid('tenant') } : {}),
      ...(identity.userAssignedClientIds
        ? {
            userAssignedIdentities: Object.fromEntries(
              identity.userAssignedClientIds.map((clientId, i) => [
                `/subscriptions/${spec.subscriptionId}/resourceGroups/${spec.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${spec.name}-id${i}`,
                { clientId, principalId: fakeGuid(`${clientId}/principal`) },
              ]),
            ),
          }
        : {}),
    },
    zones: [],
    tags: { ...spec.tags },
    etag: `"${fakeGuid(`${service.id}/${service.provisioningState}`)}"`,
    properties: {
      provisioningState: service.provisioningState,
      targetProvisioningState: isBusy(service.provisioningState) ? 'Succeeded' : '',
      publisherEmail: 'apim@contoso.example',
      publisherName: 'Contoso',
      gatewayUrl: `https://${spec.name}.azure-api.net`,
      hostnameConfigurations: hostnames.map((hostName, i) => ({
        type: 'Proxy',
        hostName,
        defaultSslBinding: i === 0,
        negotiateClientCertificate: false,
        certificateSource: hostName.endsWith('.azure-api.net') ? 'BuiltIn' : 'KeyVault',
      })),
      ...region(spec.location),
      virtualNetworkType: spec.virtualNetworkType ?? 'None',
      customProperties: spec.customProperties ?? { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'False' },
      additionalLocations: (spec.additionalLocations ?? []).map((location) => ({ location, sku: spec.sku, ...region(location) })),
      publicNetworkAccess: 'Enabled',
      developerPortalStatus: 'Enabled',
      disableGateway: false,
    },
  };
}

function subnetId(spec: SandboxServiceSpec, location: string): string {
  if (spec.subnetId && location === spec.location) return spec.subnetId;
  const vnet = `vnet-${location.replace(/\s+/g, '').toLowerCase()}`;
  return `/subscriptions/${spec.subscriptionId}/resourceGroups/${spec.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/apim`;
}

/** A stable public IP (in 20.0.0.0/8) derived from a seed. */
export function fakeIp(seed: string): string {
  const [a, b, c] = fakeGuid(seed)
    .replace(/-/g, '')
    .match(/../g)!
    .slice(0, 3)
    .map((h) => parseInt(h, 16));
  return `20.${a}.${b}.${(c! % 254) + 1}`;
}

/** A stable GUID-shaped string derived from a seed: sandbox resources need IDs, not secrets. */
export function fakeGuid(seed: string): string {
  let h = 2166136261;
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) {
    for (const ch of `${seed}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    bytes.push(h & 0xff);
  }
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
