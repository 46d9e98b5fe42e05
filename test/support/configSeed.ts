/** Seeds a sandbox instance's configuration with one of each resource kind a snapshot handles, secrets included. */
import { seedResource } from '../../dev/sandbox/configApi';
import type { SandboxService } from '../../dev/sandbox/model';

/** Literal secrets the seed writes: none may appear in any blob a snapshot writes. */
export const SEEDED_SECRETS = {
  namedValue: 'nv-secret-7f3a9c1e5b2d',
  backendHeader: 'backend-key-4d8e2a6c0f1b',
  backendProxy: 'proxy-pass-9b1c3e5a7d2f',
  policyHeader: 'policy-key-2e4f6a8c0b1d',
  policyBasic: 'basic-pass-6c8e0a2b4d1f',
  connection: 'AccountKeyValue1234567890abcdef==',
  userPassword: 'user-pass-8a0c2e4b6d1f',
  idpSecret: 'idp-secret-1b3d5f7a9c0e',
  authServerSecret: 'as-secret-5e7a9c1b3d0f',
  certificatePassword: 'cert-pass-0d2f4b6a8c1e',
  certificateData: 'MIIcertificatedata0123456789',
  loggerKey: 'logger-key-3f5b7d9a1c0e',
  subscriptionPrimary: 'sub-primary-0a1b2c3d4e5f',
  subscriptionSecondary: 'sub-secondary-6a7b8c9d0e1f',
  workspaceNamedValue: 'ws-nv-secret-4c6e8a0b2d1f',
  workspaceBackendHeader: 'ws-backend-key-7e9a1c3b5d0f',
  workspaceSubscriptionPrimary: 'ws-sub-primary-2b4d6f8a0c1e',
  cacheConnection: 'contoso-weu.redis.cache.windows.net:6380,password=cache-key-5a7c9e1b3d0f,ssl=True,abortConnect=False',
};

/** The source's Redis, in its region: what a cache's `resourceId` names. */
export const CACHE_RESOURCE_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-redis/providers/Microsoft.Cache/redis/contoso-weu';

/** An external cache used from every location, its connection string given as a PUT gives it (the sandbox keeps it in a secret named value). */
export function seedCache(service: SandboxService, id = 'default'): void {
  seedResource(service, `caches/${id}`, {
    connectionString: SEEDED_SECRETS.cacheConnection,
    useFromLocation: 'default',
    description: 'Redis in West Europe',
    resourceId: CACHE_RESOURCE_ID,
  });
}

/** A workspace holding its own secrets: a secret named value, a literal backend credential and a subscription's keys. */
export function seedWorkspaceSecrets(service: SandboxService, workspace = 'team'): void {
  const s = SEEDED_SECRETS;
  const ws = `workspaces/${workspace}`;
  seedResource(service, ws, { displayName: workspace });
  seedResource(service, `${ws}/namedValues/team-key`, { displayName: 'team-key', value: s.workspaceNamedValue, secret: true });
  seedResource(service, `${ws}/backends/team-backend`, {
    url: 'https://team.weu.contoso.example',
    protocol: 'http',
    credentials: { header: { 'x-api-key': [s.workspaceBackendHeader] } },
  });
  seedResource(service, `${ws}/products/team-plan`, { displayName: 'Team plan', state: 'published', subscriptionRequired: true });
  seedResource(service, `${ws}/subscriptions/team-sub`, {
    scope: `${service.id}/${ws}/products/team-plan`,
    displayName: 'team',
    state: 'active',
    primaryKey: s.workspaceSubscriptionPrimary,
  });
}

export function seedFullConfiguration(service: SandboxService, options: { apis?: number; operations?: number } = {}): void {
  const s = SEEDED_SECRETS;
  const id = service.id;
  seedResource(service, 'namedValues/backend-host', { displayName: 'backend-host', value: 'orders.contoso.example', secret: false });
  seedResource(service, 'namedValues/orders-key', { displayName: 'orders-key', value: s.namedValue, secret: true });
  seedResource(service, 'namedValues/kv-key', {
    displayName: 'kv-key',
    secret: true,
    keyVault: { secretIdentifier: 'https://contoso-kv.vault.azure.net/secrets/orders-key', identityClientId: null },
  });
  seedResource(service, 'tags/public', { displayName: 'public' });
  seedResource(service, 'apiVersionSets/orders-vs', { displayName: 'orders', versioningScheme: 'Segment' });
  seedResource(service, 'loggers/appinsights', {
    loggerType: 'applicationInsights',
    credentials: { instrumentationKey: s.loggerKey },
    resourceId: `/subscriptions/${service.spec.subscriptionId}/resourceGroups/${service.spec.resourceGroup}/providers/microsoft.insights/components/ai`,
  });
  seedResource(service, 'diagnostics/applicationinsights', { loggerId: `${id}/loggers/appinsights`, alwaysLog: 'allErrors' });
  seedResource(service, 'groups/partners', { displayName: 'Partners', type: 'custom' });
  seedResource(service, 'users/alice', { email: 'alice@contoso.example', firstName: 'Alice', lastName: 'A', password: s.userPassword });
  seedResource(service, 'groups/partners/users/alice');
  seedResource(service, 'backends/orders-backend', {
    url: 'https://orders.weu.contoso.example',
    protocol: 'http',
    credentials: { header: { 'x-api-key': [s.backendHeader], 'x-ref': ['{{backend-host}}'] } },
    proxy: { url: 'http://proxy.contoso.example', username: 'svc', password: s.backendProxy },
  });
  seedResource(service, 'policyFragments/cors', {
    format: 'rawxml',
    value: '<fragment><cors><allowed-origins><origin>*</origin></allowed-origins></cors></fragment>',
  });
  seedResource(service, 'certificates/client', { data: s.certificateData, password: s.certificatePassword });
  seedResource(service, 'certificates/kv-cert', { keyVault: { secretIdentifier: 'https://contoso-kv.vault.azure.net/secrets/client-cert' } });
  seedResource(service, 'identityProviders/aad', {
    clientId: '00000000-0000-0000-0000-0000000000aa',
    clientSecret: s.idpSecret,
    allowedTenants: ['contoso.example'],
  });
  seedResource(service, 'authorizationServers/oauth', {
    displayName: 'oauth',
    clientId: 'client',
    clientSecret: s.authServerSecret,
    grantTypes: ['authorizationCode'],
  });
  seedResource(service, 'policies/policy', { format: 'rawxml', value: '<policies><inbound><include-fragment fragment-id="cors" /></inbound></policies>' });
  seedResource(service, 'products/partners', { displayName: 'Partners', state: 'published', subscriptionRequired: true });
  seedResource(service, 'products/partners/groups/partners');
  for (let a = 0; a < (options.apis ?? 2); a++) {
    const api = a === 0 ? 'orders' : `api-${a}`;
    seedResource(service, `apis/${api}`, {
      displayName: api,
      path: api,
      protocols: ['https'],
      serviceUrl: `https://${api}.weu.contoso.example`,
      apiVersionSetId: `${id}/apiVersionSets/orders-vs`,
      apiVersion: 'v1',
    });
    seedResource(service, `apis/${api}/policies/policy`, {
      format: 'rawxml',
      // The first API's policy carries literal secrets (redacted at capture); the others only name a named value.
      value:
        `<policies><inbound><set-backend-service backend-id="orders-backend" />` +
        (a === 0
          ? `<set-header name="Authorization" exists-action="override"><value>Bearer ${s.policyHeader}</value></set-header>` +
            `<authentication-basic username="svc" password="${s.policyBasic}" />` +
            `<set-variable name="conn" value="DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${s.connection}" />`
          : '') +
        `<set-header name="x-key" exists-action="override"><value>{{orders-key}}</value></set-header>` +
        `</inbound></policies>`,
    });
    seedResource(service, `apis/${api}/tags/public`);
    seedResource(service, `apis/${api}/schemas/orders`, { contentType: 'application/vnd.oai.openapi.components+json', document: { components: {} } });
    seedResource(service, `apis/${api}/diagnostics/applicationinsights`, { loggerId: `${id}/loggers/appinsights` });
    seedResource(service, `products/partners/apis/${api}`);
    for (let o = 0; o < (options.operations ?? 3); o++) {
      seedResource(service, `apis/${api}/operations/op-${o}`, { displayName: `op ${o}`, method: 'GET', urlTemplate: `/items/${o}` });
      seedResource(service, `apis/${api}/operations/op-${o}/policies/policy`, {
        format: 'rawxml',
        value: `<policies><inbound><rate-limit calls="${o + 10}" renewal-period="60" /><set-header name="x-host" exists-action="override"><value>{{backend-host}}</value></set-header></inbound></policies>`,
      });
    }
  }
  seedResource(service, 'subscriptions/partner-sub', {
    scope: `${id}/products/partners`,
    displayName: 'partner',
    state: 'active',
    primaryKey: s.subscriptionPrimary,
    secondaryKey: s.subscriptionSecondary,
  });
}
