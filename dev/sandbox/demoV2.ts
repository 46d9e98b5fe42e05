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

/** A small but real configuration: APIs with operations and policies, a product, named values (one in Key Vault), a backend, a workspace. */
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
  seedDemoWorkspace(service);
}

export const DEMO_WORKSPACE = 'partners';

/**
 * A team's workspace (Standard v2 has them): its own named value, backend, tag, product, workspace policy and two
 * APIs with operations and policies, linked to the product and the tag as a workspace links them (by ID in the body).
 * Its names differ from the service's: names are unique across the service and its workspaces.
 */
export function seedDemoWorkspace(service: SandboxService, workspace = DEMO_WORKSPACE): void {
  const ws = `workspaces/${workspace}`;
  const id = (path: string) => `${service.id}/${ws}/${path}`;
  seedResource(service, ws, { displayName: 'Partner team', description: 'APIs the partner team owns' });
  seedResource(service, `${ws}/namedValues/partner-host`, { displayName: 'partner-host', value: 'partners.weu.contoso.example', secret: false });
  seedResource(service, `${ws}/backends/partner-backend`, { url: 'https://partners.weu.contoso.example', protocol: 'http' });
  seedResource(service, `${ws}/tags/partner`, { displayName: 'partner' });
  seedResource(service, `${ws}/products/partner-plan`, { displayName: 'Partner plan', state: 'published', subscriptionRequired: true });
  seedResource(service, `${ws}/policies/policy`, {
    format: 'rawxml',
    value: '<policies><inbound><set-header name="x-partner-host" exists-action="override"><value>{{partner-host}}</value></set-header></inbound></policies>',
  });
  for (const api of ['partner-orders', 'partner-invoices']) {
    seedResource(service, `${ws}/apis/${api}`, {
      displayName: api,
      path: `partners/${api}`,
      protocols: ['https'],
      serviceUrl: `https://${api}.weu.contoso.example`,
    });
    seedResource(service, `${ws}/apis/${api}/policies/policy`, {
      format: 'rawxml',
      value: '<policies><inbound><base /><set-backend-service backend-id="partner-backend" /></inbound></policies>',
    });
    for (const op of ['list', 'get']) {
      seedResource(service, `${ws}/apis/${api}/operations/${op}`, { displayName: `${op} ${api}`, method: 'GET', urlTemplate: op === 'get' ? '/{id}' : '/' });
    }
    seedResource(service, `${ws}/apis/${api}/operations/get/policies/policy`, {
      format: 'rawxml',
      value: '<policies><inbound><base /><rate-limit calls="20" renewal-period="60" /></inbound></policies>',
    });
    seedResource(service, `${ws}/products/partner-plan/apiLinks/${api}`, { apiId: id(`apis/${api}`) });
    seedResource(service, `${ws}/tags/partner/apiLinks/${api}`, { apiId: id(`apis/${api}`) });
  }
  seedResource(service, `${ws}/tags/partner/operationLinks/partner-orders-get`, { operationId: id('apis/partner-orders/operations/get') });
}

/** The demo's API revisions, as a release would leave them: revision 1 of orders kept beside the current revision 2. */
function seedOrdersRevisions(service: SandboxService): void {
  seedResource(service, 'apis/orders;rev=1', { displayName: 'orders', path: 'orders', protocols: ['https'], serviceUrl: 'https://orders.weu.contoso.example' });
  for (const op of ['list', 'get']) {
    seedResource(service, `apis/orders;rev=1/operations/${op}`, { displayName: `${op} orders`, method: 'GET', urlTemplate: op === 'get' ? '/{id}' : '/' });
  }
  seedResource(service, 'apis/orders/releases/r2', { apiId: `${service.id}/apis/orders;rev=2`, notes: 'adds create' });
}
