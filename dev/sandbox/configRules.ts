/**
 * The sandbox's knowledge of APIM's configuration resources (Microsoft.ApiManagement 2024-05-01): which collections
 * exist under a service, which PUTs are long-running, which fields a GET never returns, which tiers lack a type, and
 * the v2 tiers' limits. Keys are collection paths with `*` for each name, lowercased.
 */

export interface CollectionRule {
  /** ARM resource type suffix after `Microsoft.ApiManagement/service/`. */
  type: string;
  /** PUT answers 202 + Location (final state via location). */
  lro?: boolean;
  /** Fields a GET never returns (secrets, passwords, private keys). */
  writeOnly?: string[];
  /** The POST action that returns the write-only fields. */
  secretAction?: 'listValue' | 'listSecrets';
  /** A link collection: PUT has no body and names an existing resource of this collection. */
  linkTo?: string;
  /** Only these tiers have the type; elsewhere every request answers 400 MethodNotAllowedInPricingTier. */
  tiers?: string[];
  /** The only item name (policies are singletons named `policy`). */
  singleton?: string;
  /** Properties that are required on create. */
  required?: string[];
  /** Read-only fields the GET adds (and a PUT ignores). */
  readOnly?: (properties: Record<string, unknown>) => Record<string, unknown>;
}

const NOT_CONSUMPTION = ['Developer', 'Basic', 'Standard', 'Premium', 'Isolated', 'BasicV2', 'StandardV2', 'PremiumV2'];

const policy: CollectionRule = { type: 'policies', singleton: 'policy', required: ['value'] };

export const COLLECTION_RULES: Record<string, CollectionRule> = {
  apis: { type: 'apis', lro: true, required: ['path', 'displayName'], readOnly: () => ({ isCurrent: true, isOnline: true }) },
  'apis/*/operations': { type: 'apis/operations', required: ['displayName', 'method', 'urlTemplate'] },
  'apis/*/operations/*/policies': { ...policy, type: 'apis/operations/policies' },
  'apis/*/operations/*/tags': { type: 'apis/operations/tags', linkTo: 'tags' },
  'apis/*/policies': { ...policy, type: 'apis/policies' },
  'apis/*/schemas': { type: 'apis/schemas', lro: true, required: ['contentType'] },
  'apis/*/tags': { type: 'apis/tags', linkTo: 'tags' },
  'apis/*/diagnostics': { type: 'apis/diagnostics', required: ['loggerId'] },
  'apis/*/revisions': { type: 'apis/revisions' },
  'apis/*/releases': {
    type: 'apis/releases',
    required: ['apiId'],
    readOnly: () => ({ createdDateTime: '2026-01-01T00:00:00Z', updatedDateTime: '2026-01-01T00:00:00Z' }),
  },
  'apis/*/resolvers': { type: 'apis/resolvers', required: ['displayName', 'path'] },
  'apis/*/resolvers/*/policies': { ...policy, type: 'apis/resolvers/policies' },
  'apis/*/wikis': { type: 'apis/wikis', singleton: 'default' },
  documentations: { type: 'documentations' },
  // The connection string is answered as `{{<24-hex>}}` of the named value made of it (caches.ts), never in clear.
  caches: { type: 'caches', required: ['connectionString', 'useFromLocation'] },
  'apis/*/tagdescriptions': { type: 'apis/tagDescriptions' },
  'products/*/wikis': { type: 'products/wikis', singleton: 'default' },
  products: { type: 'products', required: ['displayName'] },
  'products/*/apis': { type: 'products/apis', linkTo: 'apis' },
  'products/*/groups': { type: 'products/groups', linkTo: 'groups' },
  'products/*/policies': { ...policy, type: 'products/policies' },
  'products/*/tags': { type: 'products/tags', linkTo: 'tags' },
  namedvalues: {
    type: 'namedValues',
    lro: true,
    required: ['displayName'],
    writeOnly: ['value'],
    secretAction: 'listValue',
    readOnly: (p) => (p.keyVault ? { keyVault: { ...p.keyVault, lastStatus: { code: 'Success', timeStampUtc: '2026-01-01T00:00:00Z' } } } : {}),
  },
  backends: { type: 'backends', required: ['url', 'protocol'] },
  apiversionsets: { type: 'apiVersionSets', required: ['displayName', 'versioningScheme'] },
  tags: { type: 'tags', required: ['displayName'] },
  policyfragments: { type: 'policyFragments', lro: true, required: ['value'] },
  loggers: { type: 'loggers', required: ['loggerType'] },
  diagnostics: { type: 'diagnostics', required: ['loggerId'] },
  groups: { type: 'groups', required: ['displayName'], tiers: NOT_CONSUMPTION, readOnly: () => ({ builtIn: false }) },
  'groups/*/users': { type: 'groups/users', linkTo: 'users', tiers: NOT_CONSUMPTION },
  users: { type: 'users', required: ['email'], writeOnly: ['password'], tiers: NOT_CONSUMPTION },
  subscriptions: { type: 'subscriptions', required: ['scope', 'displayName'], writeOnly: ['primaryKey', 'secondaryKey'], secretAction: 'listSecrets' },
  certificates: {
    type: 'certificates',
    writeOnly: ['data', 'password'],
    readOnly: () => ({ subject: 'CN=sandbox', thumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678', expirationDate: '2027-01-01T00:00:00Z' }),
  },
  schemas: { type: 'schemas', required: ['schemaType'] },
  policies: { ...policy, type: 'policies' },
  gateways: { type: 'gateways', tiers: ['Developer', 'Premium'] },
  identityproviders: { type: 'identityProviders', writeOnly: ['clientSecret'], secretAction: 'listSecrets', tiers: NOT_CONSUMPTION },
  // listSecrets answers the client secret and the resource owner's credentials (AuthorizationServerSecretsContract); GET none of them.
  authorizationservers: {
    type: 'authorizationServers',
    writeOnly: ['clientSecret', 'resourceOwnerUsername', 'resourceOwnerPassword'],
    secretAction: 'listSecrets',
    tiers: NOT_CONSUMPTION,
  },
  openidconnectproviders: { type: 'openidConnectProviders', writeOnly: ['clientSecret'], secretAction: 'listSecrets' },
};

/** Tiers with workspaces (facts §5); elsewhere every workspace request answers MethodNotAllowedInPricingTier. */
const WORKSPACE_TIERS = ['BasicV2', 'StandardV2', 'Premium', 'PremiumV2'];

/** The service-level collections a workspace has too (2024-05-01 `service/workspaces/*`), by the same rules. */
const IN_WORKSPACES = [
  'apis',
  'apis/*/operations',
  'apis/*/operations/*/policies',
  'apis/*/policies',
  'apis/*/schemas',
  'apis/*/diagnostics',
  // Revisions and releases of a workspace's APIs (WorkspaceApiRevision, WorkspaceApiRelease), by the service's rules.
  'apis/*/revisions',
  'apis/*/releases',
  'products',
  'products/*/policies',
  'namedvalues',
  'backends',
  'apiversionsets',
  'tags',
  'policyfragments',
  'loggers',
  'diagnostics',
  'groups',
  'groups/*/users',
  'subscriptions',
  'certificates',
  'schemas',
  'policies',
];

/** A workspace's links carry their other end in the body, by full ID (no body-less PUT as at the service level). */
const workspaceLink = (type: string, field: string): CollectionRule => ({ type: `workspaces/${type}`, required: [field], tiers: WORKSPACE_TIERS });

const WORKSPACE_RULES: Record<string, CollectionRule> = {
  workspaces: { type: 'workspaces', required: ['displayName'], tiers: WORKSPACE_TIERS },
  ...Object.fromEntries(
    IN_WORKSPACES.map((key) => [
      `workspaces/*/${key}`,
      { ...COLLECTION_RULES[key]!, type: `workspaces/${COLLECTION_RULES[key]!.type}`, tiers: WORKSPACE_TIERS },
    ]),
  ),
  'workspaces/*/products/*/apilinks': workspaceLink('products/apiLinks', 'apiId'),
  'workspaces/*/products/*/grouplinks': workspaceLink('products/groupLinks', 'groupId'),
  'workspaces/*/tags/*/apilinks': workspaceLink('tags/apiLinks', 'apiId'),
  'workspaces/*/tags/*/operationlinks': workspaceLink('tags/operationLinks', 'operationId'),
  'workspaces/*/tags/*/productlinks': workspaceLink('tags/productLinks', 'productId'),
};
Object.assign(COLLECTION_RULES, WORKSPACE_RULES);

export { tierLimit } from '../../src/domain/snapshot/tierLimits';

/** `apis/orders/operations` → `apis/*\/operations`: the rule key of a collection path. */
export function collectionKey(segments: string[]): string {
  return segments.map((s, i) => (i % 2 === 1 ? '*' : s.toLowerCase())).join('/');
}
