/**
 * The sandbox's external caches (`caches/{id}`, 2024-05-01 apimcaches.json) as ARM keeps them: the connection string
 * given in a PUT is stored as a secret named value APIM names with a 24-hex ID, and every GET answers the cache's
 * `connectionString` as `{{<that id>}}` (the spec's ApiManagementGetCache example) — never the string. The connection
 * string and `useFromLocation` are required in every PUT's body (CacheContractProperties), an update's too. Caches
 * exist on every tier ("applies to all API Management tiers") and never in a workspace (the spec has no such path).
 */
import { randomBytes } from 'node:crypto';

type Store = Record<string, { path: string; properties: Record<string, unknown>; etag: string }>;

/** `default`, or a region's name (`westeurope`): what a cache's ID and its `useFromLocation` may be. */
const LOCATION = /^(default|[a-z][a-z0-9]*)$/;
const REFERENCE = /^\{\{([^{}]+)\}\}$/;

export function isCachePath(path: string): boolean {
  const segments = path.split('/');
  return segments.length === 2 && segments[0]!.toLowerCase() === 'caches';
}

/** Why ARM would refuse this PUT of a cache, if it would. */
export function cacheInvalid(store: Store, path: string, properties: Record<string, unknown>): string | undefined {
  const id = path.split('/')[1]!;
  for (const field of ['connectionString', 'useFromLocation'])
    if (typeof properties[field] !== 'string' || properties[field] === '') return `'${field}' is required to write '${path}'.`;
  if (!LOCATION.test(id)) return `'${id}': a cache's ID is 'default' or an Azure region's name.`;
  if (!LOCATION.test(String(properties.useFromLocation)))
    return `'useFromLocation' is 'default' or an Azure region's name, not '${String(properties.useFromLocation)}'.`;
  const named = REFERENCE.exec(String(properties.connectionString).trim())?.[1];
  if (named && !store[`namedvalues/${named.toLowerCase()}`]) return `Cannot find a property '${named}' referenced in the connection string.`;
  return undefined;
}

/**
 * The cache as stored: a literal connection string moved into the cache's own secret named value (the one it had, or
 * a new one), the cache keeping `{{<id>}}`. A `{{name}}` of an existing named value is kept as given.
 */
export function cacheSecret(
  store: Store,
  path: string,
  properties: Record<string, unknown>,
): { properties: Record<string, unknown>; namedValue?: { path: string; properties: Record<string, unknown> } } {
  const given = properties.connectionString;
  if (typeof given !== 'string' || REFERENCE.test(given.trim())) return { properties };
  const id = cacheNamedValue(store, path)?.split('/')[1] ?? randomBytes(12).toString('hex');
  return {
    properties: { ...properties, connectionString: `{{${id}}}` },
    namedValue: { path: `namedValues/${id}`, properties: { displayName: `${path.split('/')[1]}-connection-${id.slice(0, 6)}`, value: given, secret: true } },
  };
}

/** The named value APIM made of a cache's connection string (`namedValues/<24-hex>`), which goes with the cache. */
export function cacheNamedValue(store: Store, path: string): string | undefined {
  const held = store[path.toLowerCase()]?.properties.connectionString;
  const id = typeof held === 'string' ? REFERENCE.exec(held)?.[1] : undefined;
  return id && /^[0-9a-f]{24}$/i.test(id) ? `namedValues/${id.toLowerCase()}` : undefined;
}
