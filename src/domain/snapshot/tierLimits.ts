/**
 * What each tier can hold (facts/config-snapshot.md §5): the v2 tiers' limits per collection, and the types a tier
 * lacks altogether (listing them answers 400 MethodNotAllowedInPricingTier).
 */

export const V2_TIERS = ['BasicV2', 'StandardV2', 'PremiumV2'];

/** Limits of Basic v2 / Standard v2 / Premium v2, by collection pattern (lowercase, `*` for a parent's name). */
const V2_LIMITS: Record<string, [number, number, number]> = {
  apis: [150, 500, 1000],
  products: [50, 200, 400],
  subscriptions: [500, 2000, 4000],
  users: [300, 2000, 4000],
  groups: [20, 100, 200],
  policyfragments: [50, 50, 100],
  authorizationservers: [10, 10, 20],
  openidconnectproviders: [10, 10, 20],
  ...Object.fromEntries(['certificates', 'backends', 'namedvalues', 'loggers', 'tags', 'apiversionsets', 'schemas'].map((c) => [c, [100, 100, 100]])),
  // Per API and per product, wherever the API or product lives (the service or a workspace).
  ...Object.fromEntries(
    ['apis/*/operations', 'apis/*/releases', 'apis/*/schemas', 'apis/*/tags', 'products/*/apis', 'products/*/groups', 'products/*/tags'].map((c) => [
      c,
      [100, 100, 100],
    ]),
  ),
};

/** A workspace's product links are collections of their own (`apiLinks`), counted as the service's (`apis`). */
const LINK_KINDS: Record<string, string> = { 'products/*/apilinks': 'products/*/apis', 'products/*/grouplinks': 'products/*/groups' };

/** What a resource counts against: the limit's pattern, and the group counted together. */
export interface LimitCounter {
  /** The service-level collection pattern whose limit applies (`apis`, `apis/*\/operations`). */
  pattern: string;
  /**
   * Who is counted together: a top-level kind per instance, the service's and every workspace's alike (`apis`: the
   * v2 limits are "per service instance"); a child kind per parent (`workspaces/w/apis/a/operations`: "per API").
   */
  group: string;
  /** The resource lives in a workspace. */
  inWorkspace: boolean;
}

/** The v2 limit a resource (lowercased path, not a non-current revision) counts against, or undefined. */
export function limitCounter(path: string): LimitCounter | undefined {
  const segments = path.toLowerCase().split('/');
  const inWorkspace = segments[0] === 'workspaces' && segments.length > 2;
  const inner = inWorkspace ? segments.slice(2) : segments;
  if (inner.length < 2) return undefined;
  const collection = inner.slice(0, -1);
  const kind = collection.map((s, i) => (i % 2 === 1 ? '*' : s)).join('/');
  const pattern = LINK_KINDS[kind] ?? kind;
  if (V2_LIMITS[pattern] === undefined) return undefined;
  const group = pattern.includes('/') ? [...(inWorkspace ? segments.slice(0, 2) : []), ...collection].join('/') : pattern;
  return { pattern, group, inWorkspace };
}

/** The most resources of a collection the tier allows, or undefined when it sets no limit we know of. */
export function tierLimit(tier: string, collectionPattern: string): number | undefined {
  const index = V2_TIERS.indexOf(tier);
  return index < 0 ? undefined : V2_LIMITS[collectionPattern.toLowerCase()]?.[index];
}

/** The top-level collections (lowercase) whose size the tier limits: what a scoped apply counts on the whole target. */
export function limitedCollections(tier: string): string[] {
  return isV2(tier) ? Object.keys(V2_LIMITS).filter((c) => !c.includes('/')) : [];
}

/** Top-level types only some tiers have (self-hosted gateways: Developer and Premium; workspaces, facts §5). */
const ONLY_ON: Record<string, string[]> = {
  gateways: ['Developer', 'Premium'],
  workspaces: ['BasicV2', 'StandardV2', 'Premium', 'PremiumV2'],
};

/** The tiers that have a top-level type, when only some do. */
export function tiersWith(topLevelPattern: string): string[] | undefined {
  return ONLY_ON[topLevelPattern.toLowerCase()];
}

export function tierLacks(tier: string, topLevelPattern: string): boolean {
  const tiers = ONLY_ON[topLevelPattern.toLowerCase()];
  return !!tiers && !tiers.includes(tier);
}

export function isV2(tier: string): boolean {
  return V2_TIERS.includes(tier);
}
