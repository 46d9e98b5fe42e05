/**
 * The configuration resource types a snapshot reads and applies (facts/config-snapshot.md §1–2): where each lives
 * under the service, what it hangs from, and when it may be written (a policy after the named values, fragments
 * and backends it names; a link after both of its ends).
 */
export interface ResourceType {
  /** Collection pattern relative to the service, `*` for each parent's name: `apis/*\/operations`. */
  pattern: string;
  /** Short name for counts, findings and `--only`: `apis`, `operations`, `apiPolicies`. */
  label: string;
  /** Apply wave: every resource of wave n is written before any of wave n + 1; deletes go in reverse. */
  wave: number;
  /** Read by GETting this one item (`policy`) rather than by listing. */
  singleton?: string;
  /** A link: the PUT has no body and names a resource of this top-level collection. */
  linkTo?: string;
  /** Policies: read and written as raw XML. */
  policy?: boolean;
  /** Names that are built in to every instance and never written or deleted. */
  builtIn?: string[];
  /** The list leaves fields out (the ApiRelease list has no `apiId`): each item is read with a GET. */
  getEach?: boolean;
  /**
   * Read for the whole API from one list (`operationsByTags`: every tagged operation of the API), not one list per
   * parent: an API of 20 operations is then one request, not 20.
   */
  listedBy?: 'operationsByTags';
  /** Read only under an API of this `type` (resolvers: GraphQL); other APIs have none, and asking would cost a list each. */
  underApiType?: string;
}

/**
 * What an API carries beside its operations and policies (2024-05-01): its operations' tags, a GraphQL API's resolvers
 * and their policies, its wiki (`default`, a list of the service's documentations).
 */
const API_EXTRA_TYPES: ResourceType[] = [
  { pattern: 'documentations', label: 'documentations', wave: 1 },
  { pattern: 'apis/*/operations/*/tags', label: 'operationTags', wave: 6, linkTo: 'tags', listedBy: 'operationsByTags' },
  { pattern: 'apis/*/resolvers', label: 'resolvers', wave: 5, underApiType: 'graphql' },
  { pattern: 'apis/*/resolvers/*/policies', label: 'resolverPolicies', wave: 6, singleton: 'policy', policy: true },
  { pattern: 'apis/*/wikis', label: 'apiWikis', wave: 5, singleton: 'default' },
];

/**
 * More of what an instance carries (2024-05-01): external caches (`caches/{id}`, service level only — the spec has no
 * workspace caches), an API's tag descriptions (`apis/{a}/tagDescriptions/{tag}`, named after a tag of the service) and
 * a product's wiki (`products/{p}/wikis/default`, a list of documentations as an API's wiki is). A cache goes after
 * the named values its connection string may name.
 */
const MORE_KINDS: ResourceType[] = [
  { pattern: 'caches', label: 'caches', wave: 2 },
  { pattern: 'apis/*/tagDescriptions', label: 'apiTagDescriptions', wave: 5 },
  { pattern: 'products/*/wikis', label: 'productWikis', wave: 5, singleton: 'default' },
];

/**
 * Workspaces and what lives under them (2024-05-01: `service/workspaces/*`). A workspace goes first (wave 0,
 * apiops-cli's order); under it the service's own order holds, wave for wave.
 * Links here have a body naming their other end by full ID (`products/{p}/apiLinks/{l}` {apiId}), not a PUT with none.
 */
const WORKSPACE_TYPES: ResourceType[] = [
  { pattern: 'workspaces', label: 'workspaces', wave: 0 },
  { pattern: 'workspaces/*/certificates', label: 'workspaceCertificates', wave: 1 },
  { pattern: 'workspaces/*/namedValues', label: 'workspaceNamedValues', wave: 1 },
  { pattern: 'workspaces/*/tags', label: 'workspaceTags', wave: 1 },
  { pattern: 'workspaces/*/apiVersionSets', label: 'workspaceApiVersionSets', wave: 1 },
  { pattern: 'workspaces/*/loggers', label: 'workspaceLoggers', wave: 1 },
  { pattern: 'workspaces/*/groups', label: 'workspaceGroups', wave: 1 },
  { pattern: 'workspaces/*/schemas', label: 'workspaceSchemas', wave: 1 },
  { pattern: 'workspaces/*/backends', label: 'workspaceBackends', wave: 2 },
  { pattern: 'workspaces/*/policyFragments', label: 'workspacePolicyFragments', wave: 3, policy: true },
  { pattern: 'workspaces/*/diagnostics', label: 'workspaceDiagnostics', wave: 4 },
  { pattern: 'workspaces/*/policies', label: 'workspacePolicy', wave: 4, singleton: 'policy', policy: true },
  { pattern: 'workspaces/*/products', label: 'workspaceProducts', wave: 4 },
  { pattern: 'workspaces/*/apis', label: 'workspaceApis', wave: 4 },
  { pattern: 'workspaces/*/apis/*/operations', label: 'workspaceOperations', wave: 5 },
  // A workspace API's releases, as the service's (WorkspaceApiRelease): after its revisions, before its children.
  { pattern: 'workspaces/*/apis/*/releases', label: 'workspaceApiReleases', wave: 4.8, getEach: true },
  { pattern: 'workspaces/*/apis/*/schemas', label: 'workspaceApiSchemas', wave: 5 },
  { pattern: 'workspaces/*/apis/*/diagnostics', label: 'workspaceApiDiagnostics', wave: 5 },
  { pattern: 'workspaces/*/products/*/apiLinks', label: 'workspaceProductApiLinks', wave: 5 },
  { pattern: 'workspaces/*/products/*/groupLinks', label: 'workspaceProductGroupLinks', wave: 5 },
  { pattern: 'workspaces/*/products/*/policies', label: 'workspaceProductPolicies', wave: 5, singleton: 'policy', policy: true },
  { pattern: 'workspaces/*/tags/*/apiLinks', label: 'workspaceTagApiLinks', wave: 5 },
  { pattern: 'workspaces/*/tags/*/productLinks', label: 'workspaceTagProductLinks', wave: 5 },
  { pattern: 'workspaces/*/groups/*/users', label: 'workspaceGroupUsers', wave: 5, linkTo: 'users' },
  { pattern: 'workspaces/*/tags/*/operationLinks', label: 'workspaceTagOperationLinks', wave: 6 },
  { pattern: 'workspaces/*/apis/*/policies', label: 'workspaceApiPolicies', wave: 6, singleton: 'policy', policy: true },
  { pattern: 'workspaces/*/apis/*/operations/*/policies', label: 'workspaceOperationPolicies', wave: 6, singleton: 'policy', policy: true },
  { pattern: 'workspaces/*/subscriptions', label: 'workspaceSubscriptions', wave: 6 },
];

export const RESOURCE_TYPES: ResourceType[] = [
  { pattern: 'certificates', label: 'certificates', wave: 0 },
  { pattern: 'namedValues', label: 'namedValues', wave: 1 },
  { pattern: 'tags', label: 'tags', wave: 1 },
  { pattern: 'apiVersionSets', label: 'apiVersionSets', wave: 1 },
  { pattern: 'loggers', label: 'loggers', wave: 1 },
  { pattern: 'groups', label: 'groups', wave: 1, builtIn: ['administrators', 'developers', 'guests'] },
  { pattern: 'users', label: 'users', wave: 1, builtIn: ['1'] },
  { pattern: 'schemas', label: 'schemas', wave: 1 },
  { pattern: 'gateways', label: 'gateways', wave: 1, builtIn: ['managed'] },
  { pattern: 'authorizationServers', label: 'authorizationServers', wave: 1 },
  { pattern: 'openidConnectProviders', label: 'openidConnectProviders', wave: 1 },
  { pattern: 'identityProviders', label: 'identityProviders', wave: 1 },
  { pattern: 'backends', label: 'backends', wave: 2 },
  { pattern: 'policyFragments', label: 'policyFragments', wave: 3, policy: true },
  { pattern: 'diagnostics', label: 'diagnostics', wave: 4 },
  { pattern: 'policies', label: 'servicePolicy', wave: 4, singleton: 'policy', policy: true },
  { pattern: 'products', label: 'products', wave: 4, builtIn: ['starter', 'unlimited'] },
  { pattern: 'apis', label: 'apis', wave: 4, builtIn: ['echo-api'] },
  { pattern: 'apis/*/operations', label: 'operations', wave: 5 },
  // Releases go after the API's revisions (4.001…) and before their children (the other waves in apiRevisions.ts).
  { pattern: 'apis/*/releases', label: 'apiReleases', wave: 4.8, getEach: true },
  { pattern: 'apis/*/schemas', label: 'apiSchemas', wave: 5 },
  { pattern: 'apis/*/tags', label: 'apiTags', wave: 5, linkTo: 'tags' },
  { pattern: 'apis/*/diagnostics', label: 'apiDiagnostics', wave: 5 },
  { pattern: 'products/*/apis', label: 'productApis', wave: 5, linkTo: 'apis' },
  { pattern: 'products/*/groups', label: 'productGroups', wave: 5, linkTo: 'groups' },
  { pattern: 'products/*/tags', label: 'productTags', wave: 5, linkTo: 'tags' },
  { pattern: 'products/*/policies', label: 'productPolicies', wave: 5, singleton: 'policy', policy: true },
  { pattern: 'groups/*/users', label: 'groupUsers', wave: 5, linkTo: 'users' },
  { pattern: 'apis/*/policies', label: 'apiPolicies', wave: 6, singleton: 'policy', policy: true },
  { pattern: 'apis/*/operations/*/policies', label: 'operationPolicies', wave: 6, singleton: 'policy', policy: true },
  { pattern: 'subscriptions', label: 'subscriptions', wave: 6, builtIn: ['master'] },
  ...WORKSPACE_TYPES,
  ...API_EXTRA_TYPES,
  ...MORE_KINDS,
];

/** Top-level types an instance of every tier has; the others may answer MethodNotAllowedInPricingTier. */
export const TOP_LEVEL_TYPES = RESOURCE_TYPES.filter((t) => !t.pattern.includes('/'));

/** The child types read under one resource of `parentPattern` (`apis` → operations, schemas, tags, …). */
export function childTypes(parentPattern: string): ResourceType[] {
  const prefix = `${parentPattern}/*/`;
  return RESOURCE_TYPES.filter((t) => t.pattern.startsWith(prefix) && !t.pattern.slice(prefix.length).includes('/'));
}

/** Types read once for the whole of a resource of `parentPattern` rather than per child (`apis` → operation tags). */
export function listedUnder(parentPattern: string): ResourceType[] {
  const prefix = `${parentPattern}/*/`;
  return RESOURCE_TYPES.filter((t) => t.listedBy && t.pattern.startsWith(prefix) && t.pattern.slice(prefix.length).split('/').length === 3);
}

/** The type of a resource path (`apis/orders/operations/get` → operations). */
export function typeOfPath(path: string): ResourceType | undefined {
  const segments = path.split('/');
  const pattern = segments
    .slice(0, -1)
    .map((s, i) => (i % 2 === 1 ? '*' : s))
    .join('/')
    .toLowerCase();
  return RESOURCE_TYPES.find((t) => t.pattern.toLowerCase() === pattern);
}

export function typeByLabel(label: string): ResourceType | undefined {
  const wanted = label.toLowerCase();
  return RESOURCE_TYPES.find((t) => t.label.toLowerCase() === wanted || t.pattern.toLowerCase() === wanted);
}

/** Fields that carry full ARM IDs of resources of the same instance: stored relative, rewritten to the target's. */
export const REFERENCE_FIELDS = ['apiVersionSetId', 'loggerId', 'scope', 'ownerId', 'sourceApiId'];
/** Workspace links name their other end by full ARM ID in their body: stored relative as well. */
export const LINK_REFERENCE_FIELDS = ['apiId', 'groupId', 'productId', 'operationId'];

/** `workspaces/{w}/…` → `workspaces/{w}/`, else '': the scope a resource's names (policy references, uniqueness) live in. */
export function workspaceOf(path: string): string {
  const m = /^workspaces\/[^/]+\//i.exec(path);
  return m ? m[0] : '';
}

/** The service-level pattern a type follows (`workspaces/*\/apis/*\/operations` → `apis/*\/operations`): its capture rules. */
export function kindOf(type: ResourceType): string {
  return type.pattern.replace(/^workspaces\/\*\//, '');
}

/** The kind of the resource at a path: a workspace's named value is a named value (`workspaces/w/namedValues/n`). */
export function kindOfPath(path: string): string | undefined {
  const type = typeOfPath(path);
  return type && kindOf(type);
}
