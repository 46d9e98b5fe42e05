/** The demo's Standard v2 pair: a primary protected by snapshots (v2 has no native backup) and its empty v2 standby. */
import { canonicalServiceId } from '../../src/domain/resourceId';
import { seedResource } from './configApi';
import type { SandboxService, SandboxServiceSpec } from './model';

export const DEMO_V2 = 'contoso-apim-v2-weu';
export const DEMO_V2_STANDBY = 'contoso-apim-v2-neu';

export function demoV2Specs(subscriptionId: string): SandboxServiceSpec[] {
  const v2 = (name: string, location: string): SandboxServiceSpec => ({
    subscriptionId,
    resourceGroup: `rg-${name}`,
    name,
    location,
    sku: { name: 'StandardV2', capacity: 1 },
    configuration: { apis: [], products: [], namedValues: [] },
  });
  return [v2(DEMO_V2, 'West Europe'), v2(DEMO_V2_STANDBY, 'North Europe')];
}

/** The config entries: the primary with its snapshot schedule and its standby. */
export function demoV2Services(specs: SandboxServiceSpec[]): Record<string, unknown>[] {
  const [primary, standby] = specs.map((s) => canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name));
  return [{ id: primary, standbys: [{ id: standby, sync: 'manual' }], snapshots: { schedule: '0 0 */6 * * *', afterChange: true } }];
}

/** A small but real configuration: APIs with operations and policies, a product, named values (one in Key Vault), a backend. */
export function seedDemoV2(service: SandboxService): void {
  seedResource(service, 'namedValues/orders-backend-url', { displayName: 'orders-backend-url', value: 'https://orders.weu.contoso.example', secret: false });
  seedResource(service, 'namedValues/orders-api-key', {
    displayName: 'orders-api-key',
    secret: true,
    keyVault: { secretIdentifier: 'https://contoso-kv.vault.azure.net/secrets/orders-api-key', identityClientId: null },
  });
  seedResource(service, 'backends/orders', {
    url: 'https://orders.weu.contoso.example',
    protocol: 'http',
    credentials: { header: { 'x-api-key': ['{{orders-api-key}}'] } },
  });
  seedResource(service, 'tags/public', { displayName: 'public' });
  seedResource(service, 'products/partners', { displayName: 'Partners', state: 'published', subscriptionRequired: true });
  for (const api of ['orders', 'payments', 'catalog']) {
    // orders is at revision 2, released as r2 (which added `create`); revision 1 is kept (see seedOrdersRevisions).
    const revision = api === 'orders' ? { apiRevision: '2', apiRevisionDescription: 'adds create' } : {};
    seedResource(service, `apis/${api}`, { displayName: api, path: api, protocols: ['https'], serviceUrl: `https://${api}.weu.contoso.example`, ...revision });
    seedResource(service, `apis/${api}/policies/policy`, {
      format: 'rawxml',
      value: '<policies><inbound><base /><set-backend-service backend-id="orders" /><rate-limit calls="100" renewal-period="60" /></inbound></policies>',
    });
    seedResource(service, `apis/${api}/tags/public`);
    seedResource(service, `products/partners/apis/${api}`);
    for (const op of ['list', 'get', 'create']) {
      seedResource(service, `apis/${api}/operations/${op}`, {
        displayName: `${op} ${api}`,
        method: op === 'create' ? 'POST' : 'GET',
        urlTemplate: op === 'get' ? '/{id}' : '/',
      });
    }
  }
  seedOrdersRevisions(service);
}

/** The demo's API revisions, as a release would leave them: revision 1 of orders kept beside the current revision 2. */
function seedOrdersRevisions(service: SandboxService): void {
  seedResource(service, 'apis/orders;rev=1', { displayName: 'orders', path: 'orders', protocols: ['https'], serviceUrl: 'https://orders.weu.contoso.example' });
  for (const op of ['list', 'get']) {
    seedResource(service, `apis/orders;rev=1/operations/${op}`, { displayName: `${op} orders`, method: 'GET', urlTemplate: op === 'get' ? '/{id}' : '/' });
  }
  seedResource(service, 'apis/orders/releases/r2', { apiId: `${service.id}/apis/orders;rev=2`, notes: 'adds create' });
}
