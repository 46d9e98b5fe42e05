/** The sandbox's picture of APIM instances: ARM-shaped resources plus the configuration a backup carries. */

export interface SandboxConfiguration {
  apis: string[];
  products: string[];
  namedValues: string[];
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
  hostnames?: string[];
  customProperties?: Record<string, string>;
}

export interface SandboxService {
  spec: SandboxServiceSpec;
  id: string;
  provisioningState: 'Succeeded' | 'Updating' | 'Failed';
  configuration: SandboxConfiguration;
  /** Roles the caller lacks on this instance (to simulate a missing role assignment). */
  deniedActions: Set<string>;
}

export function toArmResource(service: SandboxService): Record<string, unknown> {
  const { spec } = service;
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
    etag: `"${fakeGuid(`${service.id}/${service.provisioningState}`)}"`,
    properties: {
      provisioningState: service.provisioningState,
      targetProvisioningState: service.provisioningState === 'Updating' ? 'Succeeded' : '',
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
      platformVersion: spec.platformVersion ?? 'stv2',
      virtualNetworkType: spec.virtualNetworkType ?? 'None',
      customProperties: spec.customProperties ?? { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'False' },
      additionalLocations: (spec.additionalLocations ?? []).map((location) => ({ location, sku: spec.sku })),
      publicNetworkAccess: 'Enabled',
      developerPortalStatus: 'Enabled',
      disableGateway: false,
    },
  };
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
