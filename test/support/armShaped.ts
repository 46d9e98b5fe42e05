/** Turns ARM-shaped JSON (the service resource as GET returns it) into a ServiceSnapshot through the real SDK. */
import { createHttpHeaders, type HttpClient } from '@azure/core-rest-pipeline';
import { ApimOperations } from '../../src/azure/apimOperations';
import { createClientFactory } from '../../src/azure/clientFactory';
import { systemClock } from '../../src/clock';
import { parseConfig } from '../../src/config/loadConfig';
import { parseServiceId } from '../../src/domain/resourceId';
import type { ServiceSnapshot } from '../../src/domain/service';

const SUB = '33333333-3333-3333-3333-333333333333';

export interface ArmServiceOptions {
  name: string;
  resourceGroup?: string;
  location?: string;
  sku?: string;
  capacity?: number;
  platformVersion?: string;
  provisioningState?: string;
  hostnames?: string[];
  customProperties?: Record<string, string>;
  virtualNetworkType?: string;
  identity?: { type: string; userAssignedClientIds?: string[] };
  additionalLocations?: string[];
}

export function armServiceId(name: string, resourceGroup = `rg-${name}`): string {
  return `/subscriptions/${SUB}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${name}`;
}

export function armService(o: ArmServiceOptions): Record<string, unknown> {
  const sku = { name: o.sku ?? 'Premium', capacity: o.capacity ?? 1 };
  const identity = o.identity ?? { type: 'SystemAssigned' };
  return {
    id: armServiceId(o.name, o.resourceGroup),
    name: o.name,
    type: 'Microsoft.ApiManagement/service',
    location: o.location ?? 'West Europe',
    sku,
    identity: {
      type: identity.type,
      principalId: '00000000-0000-0000-0000-00000000abcd',
      tenantId: '00000000-0000-0000-0000-00000000dcba',
      ...(identity.userAssignedClientIds
        ? {
            userAssignedIdentities: Object.fromEntries(
              identity.userAssignedClientIds.map((clientId, i) => [
                `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id${i}`,
                { clientId, principalId: clientId },
              ]),
            ),
          }
        : {}),
    },
    properties: {
      provisioningState: o.provisioningState ?? 'Succeeded',
      publisherEmail: 'apim@contoso.example',
      publisherName: 'Contoso',
      platformVersion: o.platformVersion ?? 'stv2',
      virtualNetworkType: o.virtualNetworkType ?? 'None',
      hostnameConfigurations: [`${o.name}.azure-api.net`, ...(o.hostnames ?? [])].map((hostName, i) => ({
        type: 'Proxy',
        hostName,
        defaultSslBinding: i === 0,
        certificateSource: i === 0 ? 'BuiltIn' : 'KeyVault',
      })),
      customProperties: o.customProperties ?? { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'False' },
      additionalLocations: (o.additionalLocations ?? []).map((location) => ({ location, sku })),
      developerPortalStatus: 'Enabled',
      publicNetworkAccess: 'Enabled',
    },
  };
}

/** The snapshot the real ApiManagementClient makes of this ARM response body. */
export async function snapshotOf(json: Record<string, unknown>): Promise<ServiceSnapshot> {
  const httpClient: HttpClient = {
    sendRequest: (request) =>
      Promise.resolve({ request, status: 200, headers: createHttpHeaders({ 'content-type': 'application/json' }), bodyAsText: JSON.stringify(json) }),
  };
  const config = parseConfig({ storage: { account: 'acct', container: 'backups' }, services: [{ id: String(json['id']) }] });
  const clients = createClientFactory(config, {
    clock: systemClock,
    settings: {},
    httpClient,
    credential: { getToken: () => Promise.resolve({ token: 'unit-test', expiresOnTimestamp: Date.now() + 3_600_000 }) },
  });
  return new ApimOperations(clients).getService(parseServiceId(String(json['id']))!);
}
