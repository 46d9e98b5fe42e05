/**
 * The sandbox's APIM configuration API: the child resources of a service as ARM serves them — pages with `nextLink`,
 * ETags and If-Match, long-running PUTs, secrets absent from GETs (`listValue`, `listSecrets`), references checked on
 * PUT (a policy naming a missing named value fails, as in Azure), `MethodNotAllowedInPricingTier`, the v2 limits.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  API_LEVEL_FIELDS,
  apiPlace,
  copyChildren,
  currentRevision,
  listRevisions,
  makeCurrent,
  refusedRevisionPut,
  resolveRevisionAlias,
  revisionNumber,
  revisionOf,
} from './apiRevisions';
import { COLLECTION_RULES, collectionKey, tierLimit, type CollectionRule } from './configRules';
import { limitCounter, type LimitCounter } from '../../src/domain/snapshot/tierLimits';
import { fakeGuid, type SandboxConfiguration, type SandboxService } from './model';
import { LINK_REFERENCE_FIELDS as LINK_FIELDS } from '../../src/domain/snapshot/resourceTypes';
import { uniqueName } from '../../src/domain/snapshot/workspaceFindings';
import { apiExtraInvalid, operationTagEntries, tagDescriptionView } from './apiExtras';
import { cacheInvalid, cacheNamedValue, cacheSecret, isCachePath } from './caches';

export interface StoredResource {
  /** Relative to the service, as first written (`apis/orders/operations/get`). */
  path: string;
  properties: Record<string, unknown>;
  etag: string;
}

export interface ConfigAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  kind: string;
}

/** Items per page of a list, unless `$top` asks for fewer (APIM's lists answer in pages with `nextLink`). */
export const DEFAULT_PAGE_SIZE = 100;
const LEGACY: Record<string, keyof Omit<SandboxConfiguration, 'resources'>> = { apis: 'apis', products: 'products', namedvalues: 'namedValues' };
const pageSizes = new WeakMap<object, number>();
const synced = new WeakMap<object, string>();
type Store = Record<string, StoredResource>;
let etagCounter = 0;

/** Sets the page size of an instance's lists (tests use small pages to prove `nextLink` is followed). */
export function setPageSize(service: SandboxService, size: number): void {
  pageSizes.set(service, size);
}

/** The instance's configuration resources, keyed by lowercased path; names kept in the legacy lists get a default resource. */
export function resourcesOf(service: SandboxService): Store {
  const config = service.configuration;
  config.resources ??= {};
  const store = config.resources;
  // The legacy name lists change behind this module's back (tests, restores): reconcile only when they did.
  const signature = Object.values(LEGACY)
    .map((field) => config[field].join('\n'))
    .join('\u0000');
  if (synced.get(store) === signature) return store;
  for (const [collection, field] of Object.entries(LEGACY)) {
    const names = new Set(config[field].map((n) => n.toLowerCase()));
    for (const name of config[field]) {
      const path = `${collection === 'namedvalues' ? 'namedValues' : collection}/${name}`;
      store[path.toLowerCase()] ??= { path, properties: legacyDefaults(collection, name), etag: nextEtag() };
    }
    for (const key of Object.keys(store)) {
      const parts = key.split('/');
      if (parts[0] === collection && !names.has(revisionOf(parts[1]!).api)) delete store[key];
    }
  }
  synced.set(store, signature);
  return store;
}

/** Writes a resource directly (seeding a demo or a test), as a PUT would, without the HTTP checks. */
export function seedResource(service: SandboxService, path: string, properties: Record<string, unknown> = {}): void {
  const store = resourcesOf(service);
  const kept = structuredClone(properties);
  const segments = path.split('/');
  // An API is created with revision 1 unless it says otherwise (at the service or in a workspace).
  const place = apiPlace(path);
  if (place?.rest.length === 0) kept.apiRevision = revisionNumber(kept.apiRevision) ?? place.rev ?? '1';
  const cache = isCachePath(path) ? cacheSecret(store, path, kept) : undefined;
  if (cache?.namedValue) seedResource(service, cache.namedValue.path, cache.namedValue.properties);
  store[path.toLowerCase()] = { path, properties: cache?.properties ?? kept, etag: nextEtag() };
  const legacy = segments.length === 2 && !revisionOf(segments[1]!).rev ? LEGACY[segments[0]!.toLowerCase()] : undefined;
  if (legacy && !service.configuration[legacy].some((n) => n.toLowerCase() === segments[1]!.toLowerCase())) service.configuration[legacy].push(segments[1]!);
  resourcesOf(service);
}

/** Deletes a resource and what hangs under it or links to it. */
export function removeResource(service: SandboxService, path: string): void {
  resourcesOf(service);
  const store = service.configuration.resources!;
  const key = path.toLowerCase();
  const segments = key.split('/');
  const id = `${service.id}/${key}`.toLowerCase();
  // Deleting an API deletes all of its revisions.
  const place = apiPlace(key);
  const revisions = place?.rev === undefined && place?.rest.length === 0 ? `${key};rev=` : undefined;
  const cacheSecretPath = isCachePath(key) ? cacheNamedValue(store, key) : undefined;
  for (const other of Object.keys(store)) {
    // A workspace's links name their other end in the body: they go with it.
    const linked =
      isLinkTo(other, key) ||
      LINK_FIELDS.some((f) => {
        const end = store[other]!.properties[f];
        return typeof end === 'string' && (end.toLowerCase() === id || end.toLowerCase().startsWith(`${id}/`));
      });
    if (other === key || other.startsWith(`${key}/`) || linked || (revisions && other.startsWith(revisions))) delete store[other];
  }
  const legacy = segments.length === 2 ? LEGACY[segments[0]!] : undefined;
  if (legacy) service.configuration[legacy] = service.configuration[legacy].filter((n) => n.toLowerCase() !== segments[1]);
  resourcesOf(service);
  if (cacheSecretPath) removeResource(service, cacheSecretPath);
}

/** ARM's write budget per subscription as a token bucket: 200 writes, refilled 10 a second. */
const WRITE_BUCKET = { capacity: 200, perSecond: 10 };
const writeBuckets = new WeakMap<object, Map<string, { tokens: number; at: number }>>();

/** Takes one write token of the subscription (in this sandbox), or says how long to wait (seconds) when there is none. */
function takeWriteToken(scope: object, subscriptionId: string, now: number): number | undefined {
  const buckets = writeBuckets.get(scope) ?? new Map<string, { tokens: number; at: number }>();
  writeBuckets.set(scope, buckets);
  const bucket = buckets.get(subscriptionId) ?? { tokens: WRITE_BUCKET.capacity, at: now };
  bucket.tokens = Math.min(WRITE_BUCKET.capacity, bucket.tokens + ((now - bucket.at) / 1000) * WRITE_BUCKET.perSecond);
  bucket.at = now;
  buckets.set(subscriptionId, bucket);
  if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / WRITE_BUCKET.perSecond);
  bucket.tokens -= 1;
  return undefined;
}

/** Answers a request under a service's configuration, or undefined when `rest` is not a configuration path. */
export function serveConfiguration(
  service: SandboxService,
  rest: string,
  method: string,
  url: URL,
  body: string,
  headers: IncomingHttpHeaders,
  origin: string,
  /** Whose write budget (one sandbox's) and what time it is there, and its page size for lists when it sets one. */
  throttle: { scope: object; now: number; pageSize?: number },
): ConfigAnswer | undefined {
  const named = rest.split('/').filter(Boolean).map(decodeURIComponent);
  // `apis/orders;rev=2` is `apis/orders` while revision 2 is current (`workspaces/{w}/apis/…` too).
  const { segments, aliased } = apiPlace(named.join('/')) ? resolveRevisionAlias(resourcesOf(service), named) : { segments: named, aliased: false };
  const first = segments[0]?.toLowerCase();
  if (first === 'operationresults' && segments.length === 2 && method === 'GET') return operationResult(service, segments[1]!);
  if (segments.length === 3 && first === 'apis' && segments[2]!.toLowerCase() === 'operationsbytags' && method === 'GET') {
    const store = resourcesOf(service);
    const api = `apis/${segments[1]!.toLowerCase()}`;
    if (!has(store, api)) return fail(404, 'config.notfound', 'ResourceNotFound', `'apis/${segments[1]}' was not found.`);
    return pageOf(service, operationTagEntries(store, api), (entry) => entry, url, origin, throttle.pageSize);
  }
  const action = method === 'POST' && segments.length % 2 === 1 && segments.length > 1 ? segments.pop() : undefined;
  const collectionSegments = segments.length % 2 === 1 ? segments : segments.slice(0, -1);
  const rule = COLLECTION_RULES[collectionKey(collectionSegments)];
  if (!rule) return undefined;
  const tier = service.spec.sku.name;
  if (rule.tiers && !rule.tiers.includes(tier)) {
    return fail(400, 'config.refused', 'MethodNotAllowedInPricingTier', `The ${rule.type} resource type is not available in the ${tier} pricing tier.`);
  }
  const store = resourcesOf(service);
  // The parent of a collection must exist (`apis/missing/operations` is a 404, not an empty list).
  for (let end = 2; end <= collectionSegments.length - 1; end += 2) {
    const parent = collectionSegments.slice(0, end).join('/').toLowerCase();
    if (!has(store, parent)) return fail(404, 'config.notfound', 'ResourceNotFound', `'${collectionSegments.slice(0, end).join('/')}' was not found.`);
  }
  const kind = kindOfRule(rule);
  const place = apiPlace(collectionSegments.join('/'));
  if (kind === 'apis/releases' && place?.rev !== undefined)
    return fail(400, 'config.refused', 'ValidationError', `Releases belong to the API '${place.api}', not to one of its revisions.`);
  if (segments.length % 2 === 1) {
    if (method !== 'GET') return fail(405, 'config.refused', 'MethodNotAllowed', `${method} is not allowed on a collection.`);
    if (kind === 'apis/revisions') {
      const value = listRevisions(store, place!.root);
      return { status: 200, kind: 'config.list', body: { value, count: value.length } };
    }
    return newWorkspaceFailure(store, collectionSegments) ?? list(service, store, collectionSegments, rule, url, origin, throttle.pageSize);
  }
  if (kind === 'apis/revisions') return fail(405, 'config.refused', 'MethodNotAllowed', 'Revisions are listed, never read or written one by one.');
  if (method === 'PUT' || method === 'DELETE') {
    const waitSeconds = takeWriteToken(throttle.scope, service.spec.subscriptionId.toLowerCase(), throttle.now);
    if (waitSeconds !== undefined) {
      return {
        ...fail(429, 'config.throttled', 'SubscriptionRequestsThrottled', 'Number of write requests for subscription exceeded the limit.'),
        headers: { 'Retry-After': String(waitSeconds) },
      };
    }
  }
  const path = segments.join('/');
  const key = path.toLowerCase();
  const current = get(store, key);
  if (action) return secretAction(service, rule, current, action);
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (!current) return fail(404, 'config.get', 'ResourceNotFound', `'${path}' was not found.`);
      return { status: 200, kind: 'config.get', body: method === 'HEAD' ? undefined : toArm(service, current, rule, store), headers: { ETag: current.etag } };
    case 'PUT':
      return put(service, store, rule, path, current, body, headers, url, origin);
    case 'DELETE': {
      const ifMatch = headers['if-match'];
      if (!ifMatch) return fail(400, 'config.delete', 'InvalidParameters', "The 'If-Match' header is required to delete an entity.");
      if (!current) return { status: 204, kind: 'config.delete' };
      if (aliased && apiPlace(path)?.rest.length === 0)
        return fail(400, 'config.delete', 'ValidationError', `'${named[1]}' is the current revision: release another revision before deleting it.`);
      if (ifMatch !== '*' && ifMatch !== current.etag)
        return fail(412, 'config.delete', 'PreconditionFailed', `The entity '${path}' has changed (ETag mismatch).`);
      removeResource(service, current.path);
      return { status: 200, kind: 'config.delete' };
    }
    default:
      return fail(405, 'config.refused', 'MethodNotAllowed', `${method} is not allowed on '${path}'.`);
  }
}

function list(
  service: SandboxService,
  store: Store,
  collection: string[],
  rule: CollectionRule,
  url: URL,
  origin: string,
  defaultPageSize?: number,
): ConfigAnswer {
  const prefix = `${collection.join('/').toLowerCase()}/`;
  const depth = collection.length + 1;
  // `GET apis` lists current revisions only (the non-current are listed by `apis/{a}/revisions`).
  const items = Object.entries(store)
    .filter(([key]) => key.startsWith(prefix) && key.split('/').length === depth && !(key.includes(';rev=') && apiPlace(key)?.rest.length === 0))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, r]) => r);
  const toItem = (r: StoredResource) => {
    const item = toArm(service, r, rule, store);
    // The ApiRelease list omits `apiId`: only a GET of the release says which revision it released.
    if (kindOfRule(rule) === 'apis/releases') delete (item.properties as Record<string, unknown>).apiId;
    return item;
  };
  return pageOf(service, items, toItem, url, origin, defaultPageSize);
}

/** One page of a list's items, with the whole list's `count` and a `nextLink` when more follow. */
function pageOf<T>(service: SandboxService, items: T[], toItem: (item: T) => unknown, url: URL, origin: string, defaultPageSize?: number): ConfigAnswer {
  const skip = Number(url.searchParams.get('$skip') ?? 0) || 0;
  const top = Math.min(Number(url.searchParams.get('$top') ?? Infinity) || Infinity, pageSizes.get(service) ?? defaultPageSize ?? DEFAULT_PAGE_SIZE);
  const body: Record<string, unknown> = { value: items.slice(skip, skip + top).map(toItem), count: items.length };
  if (skip + top < items.length) {
    const next = new URL(`${url.pathname}${url.search}`, origin);
    next.searchParams.set('$skip', String(skip + top));
    body.nextLink = next.href;
  }
  return { status: 200, kind: 'config.list', body };
}

function put(
  service: SandboxService,
  store: Store,
  rule: CollectionRule,
  path: string,
  current: StoredResource | undefined,
  body: string,
  headers: IncomingHttpHeaders,
  url: URL,
  origin: string,
): ConfigAnswer {
  const ifMatch = headers['if-match'];
  if (ifMatch && ifMatch !== '*' && ifMatch !== current?.etag)
    return fail(412, 'config.put', 'PreconditionFailed', `The entity '${path}' has changed (ETag mismatch).`);
  const name = path.split('/').pop()!;
  if (rule.singleton && name.toLowerCase() !== rule.singleton)
    return fail(400, 'config.put', 'ValidationError', `The only ${rule.type} is '${rule.singleton}'.`);
  let properties: Record<string, unknown> = {};
  if (rule.linkTo) {
    if (!has(store, `${rule.linkTo}/${name.toLowerCase()}`)) return fail(404, 'config.put', 'ResourceNotFound', `'${rule.linkTo}/${name}' was not found.`);
  } else {
    try {
      const parsed = (body ? JSON.parse(body) : {}) as { properties?: Record<string, unknown> };
      properties = { ...(parsed.properties ?? {}) };
    } catch {
      return fail(400, 'config.put', 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    }
    for (const field of Object.keys(rule.readOnly?.(properties) ?? {})) if (field !== 'keyVault') delete properties[field];
    if (properties.keyVault) delete (properties.keyVault as Record<string, unknown>).lastStatus;
    if (kindOfRule(rule) === 'apis' || kindOfRule(rule) === 'apis/releases') {
      const checked = kindOfRule(rule) === 'apis' ? revisionPut(service, store, path, properties, current) : releasePut(service, store, path, properties);
      if ('code' in checked) return fail(checked.status, 'config.put', checked.code, checked.message);
      properties = checked.properties;
    }
    const invalid = validate(service, store, rule, path, properties, current);
    if (invalid) return fail(400, 'config.put', 'ValidationError', invalid);
  }
  const segments = path.split('/');
  // A revision is not another API: the tiers' API limits count APIs.
  const counter = current || revisionOf(name).rev ? undefined : limitCounter(path);
  const limit = counter && tierLimit(service.spec.sku.name, counter.pattern);
  if (counter && limit !== undefined && countedWith(store, counter) >= limit) {
    const where = counter.group.includes('/') ? `in '${segments.slice(0, -1).join('/')}'` : 'in this instance, its workspaces included';
    return fail(
      400,
      'config.put',
      'ServiceLimitReached',
      `The ${service.spec.sku.name} tier allows at most ${limit} ${rule.type} ${where}; delete some first.`,
    );
  }
  if (rule.secretAction === 'listSecrets' && rule.type.endsWith('subscriptions')) {
    properties.primaryKey ??= randomBytes(16).toString('hex');
    properties.secondaryKey ??= randomBytes(16).toString('hex');
  }
  const source = kindOfRule(rule) === 'apis' && !current ? sourceRevisions.get(properties) : undefined;
  seedResource(service, current?.path ?? path, properties);
  if (source) copyChildren(store, source, path, nextEtag);
  // Creating a release makes the revision it names current.
  if (kindOfRule(rule) === 'apis/releases' && !current) makeCurrent(store, apiPlace(path)!.root, revisionOf(String(properties.apiId).split('/').pop()!).rev!);
  const stored = resourcesOf(service)[(current?.path ?? path).toLowerCase()]!;
  if (!current && rule.type === 'workspaces') newWorkspaces.set(stored, new Map());
  const answer = toArm(service, stored, rule, store);
  if (rule.lro) {
    const id = randomUUID();
    lroResults.set(id, { serviceId: service.id, path: stored.path });
    const location = `${origin}${service.id}/operationresults/${id}?api-version=${url.searchParams.get('api-version')}`;
    return { status: 202, kind: 'config.put', headers: { Location: location, 'Retry-After': '0' } };
  }
  return { status: current ? 200 : 201, kind: 'config.put', body: answer, headers: { ETag: stored.etag } };
}

const lroResults = new Map<string, { serviceId: string; path: string }>();

function operationResult(service: SandboxService, id: string): ConfigAnswer {
  const result = lroResults.get(id);
  if (!result || result.serviceId !== service.id) return fail(404, 'config.operation', 'NotFound', `Operation '${id}' was not found.`);
  const store = resourcesOf(service);
  const stored = get(store, result.path.toLowerCase());
  if (!stored) return fail(404, 'config.operation', 'ResourceNotFound', `'${result.path}' was not found.`);
  const rule = COLLECTION_RULES[collectionKey(result.path.split('/').slice(0, -1))]!;
  return { status: 200, kind: 'config.operation', body: toArm(service, stored, rule, store), headers: { ETag: stored.etag } };
}

function secretAction(service: SandboxService, rule: CollectionRule, current: StoredResource | undefined, action: string): ConfigAnswer {
  if (!rule.secretAction || rule.secretAction.toLowerCase() !== action.toLowerCase()) {
    return fail(405, 'config.refused', 'MethodNotAllowed', `'${action}' is not an action of ${rule.type}.`);
  }
  if (!current) return fail(404, 'config.post', 'ResourceNotFound', 'The entity was not found.');
  if (current.properties.keyVault) return fail(400, 'config.post', 'ValidationError', 'The value is kept in Key Vault.');
  const secrets: Record<string, unknown> = {};
  for (const field of rule.writeOnly ?? []) if (current.properties[field] !== undefined) secrets[field] = current.properties[field];
  return { status: 200, kind: 'config.post', body: secrets };
}

type Checked = { properties: Record<string, unknown> } | { status: number; code: string; message: string };

/** Store key of the revision a new one is copied from, by the properties object being written. */
const sourceRevisions = new WeakMap<object, string>();

/**
 * An API PUT: the current revision keeps its number; a non-current revision may not change the API's own fields; a new
 * revision needs an existing API and a `sourceApiId` to copy (spec example ApiManagementCreateApiRevisionFromExistingApi).
 */
function revisionPut(service: SandboxService, store: Store, path: string, body: Record<string, unknown>, current: StoredResource | undefined): Checked {
  const properties = { ...body };
  const sourceApiId = properties.sourceApiId;
  delete properties.sourceApiId;
  const { api, rev, root: rootPath } = apiPlace(path)!;
  if (rev === undefined) {
    const [asked, kept] = [revisionNumber(properties.apiRevision), revisionNumber(current?.properties.apiRevision)];
    if (current && asked !== undefined && asked !== kept) {
      const message = `'apiRevision' of '${api}' is '${kept}': create revision ${asked} and release it instead.`;
      return { status: 400, code: 'ValidationError', message };
    }
    return { properties };
  }
  const root = get(store, rootPath.toLowerCase());
  if (!root) return { status: 404, code: 'ResourceNotFound', message: `API '${api}' was not found: create it before its revisions.` };
  const refused = refusedRevisionPut(store, rootPath, rev, properties);
  if (refused) return { status: 400, code: 'ValidationError', message: refused };
  for (const field of API_LEVEL_FIELDS) delete properties[field];
  properties.apiRevision = rev;
  if (current) return { properties };
  const prefix = `${service.id.toLowerCase()}/`;
  if (typeof sourceApiId !== 'string' || !sourceApiId.toLowerCase().startsWith(prefix))
    return { status: 400, code: 'ValidationError', message: `'sourceApiId' (an API of this service) is required to create revision '${api};rev=${rev}'.` };
  const named = sourceApiId.slice(prefix.length).split('/');
  const source = resolveRevisionAlias(store, named).segments.join('/').toLowerCase();
  // The source is an API (or revision) where the new revision lives: the service's, or the same workspace's.
  const sourcePlace = apiPlace(named.join('/'));
  const sameScope =
    sourcePlace?.rest.length === 0 && sourcePlace.root.slice(0, -sourcePlace.api.length).toLowerCase() === rootPath.slice(0, -api.length).toLowerCase();
  if (sourcePlace && !sameScope)
    return {
      status: 400,
      code: 'ValidationError',
      message: `'sourceApiId' must name an API where revision '${api};rev=${rev}' lives ('${sourceApiId}' does not).`,
    };
  if (!sourcePlace || !get(store, source))
    return { status: 404, code: 'ResourceNotFound', message: `'sourceApiId' names '${sourceApiId}', which does not exist.` };
  // The copy describes itself: the source revision's description is the source's (not confirmed against Azure).
  const { apiRevisionDescription: _described, ...copied } = structuredClone(get(store, source)!.properties);
  const copy = { ...copied, ...properties };
  for (const field of API_LEVEL_FIELDS) if (root.properties[field] !== undefined) copy[field] = root.properties[field];
  sourceRevisions.set(copy, source);
  return { properties: copy };
}

/** A release names a revision of its own API (`apiId`, a full ID, `;rev=n` or the current one). */
function releasePut(service: SandboxService, store: Store, path: string, body: Record<string, unknown>): Checked {
  const { api, root } = apiPlace(path)!;
  const apiId = body.apiId;
  const prefix = `${service.id.toLowerCase()}/`;
  const invalid = { status: 400, code: 'ValidationError', message: `'apiId' must name a revision of API '${api}' ('${String(apiId)}' does not).` };
  if (typeof apiId !== 'string' || !apiId.toLowerCase().startsWith(prefix)) return invalid;
  const named = apiPlace(apiId.slice(prefix.length));
  if (!named || named.rest.length > 0 || named.root.toLowerCase() !== root.toLowerCase()) return invalid;
  const rev = named.rev ?? currentRevision(store, root)!;
  const exists = rev === currentRevision(store, root) || has(store, `${root.toLowerCase()};rev=${rev.toLowerCase()}`);
  if (!exists) return { status: 404, code: 'ResourceNotFound', message: `Revision '${rev}' of API '${api}' was not found.` };
  return { properties: { ...body, apiId: `${service.id}/${root};rev=${rev}` } };
}

/** What Azure refuses on PUT: missing required fields, references to what does not exist, IDs of another instance. */
function validate(
  service: SandboxService,
  store: Store,
  rule: CollectionRule,
  path: string,
  properties: Record<string, unknown>,
  current: StoredResource | undefined,
): string | undefined {
  if (!current) {
    const missing = (rule.required ?? []).filter((f) => properties[f] === undefined || properties[f] === '');
    if (missing.length) return `'${missing.join("', '")}' ${missing.length > 1 ? 'are' : 'is'} required to create '${path}'.`;
    const holder = nameHolder(store, path);
    if (holder) return `'${path}': the name is in use by '${store[holder]!.path}'; names are unique across the service and its workspaces.`;
  }
  if (rule.type.endsWith('policies') || rule.type.endsWith('policyFragments')) {
    const xml = typeof properties.value === 'string' ? properties.value : '';
    if (Buffer.byteLength(xml) > 256 * 1024) return 'A policy document may not exceed 256 KiB.';
    // A workspace's policy sees the workspace's named values, fragments and backends, never the service's.
    const scope = /^workspaces\/[^/]+\//i.exec(path)?.[0].toLowerCase() ?? '';
    for (const [, name] of xml.matchAll(/\{\{([^}]+)\}\}/g)) {
      if (!has(store, `${scope}namedvalues/${name!.toLowerCase()}`)) return `Cannot find a property '${name}' referenced in the policy.`;
    }
    for (const [, id] of xml.matchAll(/<include-fragment\s+fragment-id="([^"]+)"/g)) {
      if (!has(store, `${scope}policyfragments/${id!.toLowerCase()}`)) return `The policy fragment '${id}' referenced in the policy was not found.`;
    }
    for (const [, id] of xml.matchAll(/backend-id="([^"]+)"/g)) {
      if (!has(store, `${scope}backends/${id!.toLowerCase()}`)) return `The backend '${id}' referenced in the policy was not found.`;
    }
  }
  const extra = apiExtraInvalid(store, rule, path, properties) ?? (rule.type === 'caches' ? cacheInvalid(store, path, properties) : undefined);
  if (extra) return extra;
  if (rule.type.endsWith('namedValues') && typeof properties.value === 'string' && properties.value.length > 4096)
    return 'A named value may not exceed 4,096 characters.';
  const references: [string, unknown][] = [
    ['apiVersionSetId', properties.apiVersionSetId],
    ['loggerId', properties.loggerId],
    ['scope', rule.type.endsWith('subscriptions') ? properties.scope : undefined],
    ...LINK_FIELDS.map((field): [string, unknown] => [field, properties[field]]),
    ...(((properties.pool as { services?: { id?: string }[] } | undefined)?.services ?? []).map((s) => ['pool.services.id', s.id]) as [string, unknown][]),
  ];
  for (const [field, value] of references) {
    if (typeof value !== 'string' || !value) continue;
    if (!value.toLowerCase().startsWith(`${service.id.toLowerCase()}/`)) return `'${field}' must be a resource of this service ('${value}' is not).`;
    // A release names its revision by number, the current one too (`apis/orders;rev=2` is `apis/orders`).
    const target = resolveRevisionAlias(store, value.slice(service.id.length + 1).split('/'))
      .segments.join('/')
      .toLowerCase();
    if (target !== 'apis' && !has(store, target)) return `'${field}' names '${value}', which does not exist.`;
  }
  return undefined;
}

function toArm(service: SandboxService, resource: StoredResource, rule: CollectionRule, store: Store): Record<string, unknown> {
  const name = resource.path.split('/').pop()!;
  let properties: Record<string, unknown>;
  if (rule.linkTo) {
    // A link lists the contract it points at.
    properties = { ...(get(store, `${rule.linkTo}/${name.toLowerCase()}`)?.properties ?? {}) };
  } else {
    properties = { ...resource.properties, ...rule.readOnly?.(resource.properties) };
    const revision = kindOfRule(rule) === 'apis' ? revisionOf(name).rev : undefined;
    if (revision !== undefined) {
      // A non-current revision shows the API's own fields as the current revision has them.
      const root = get(store, apiPlace(resource.path)!.root.toLowerCase())?.properties ?? {};
      for (const field of API_LEVEL_FIELDS) if (root[field] !== undefined) properties[field] = root[field];
      properties.isCurrent = false;
    }
    const secret = !rule.type.endsWith('namedValues') || properties.secret === true || properties.keyVault !== undefined;
    for (const field of rule.writeOnly ?? []) if (secret) delete properties[field];
    if (rule.type.endsWith('policies')) properties.format = 'rawxml';
    if (rule.type === 'apis/tagDescriptions') Object.assign(properties, tagDescriptionView(service.id, store, name));
  }
  return { id: `${service.id}/${resource.path}`, type: `Microsoft.ApiManagement/service/${rule.type}`, name, properties };
}

/** The other resource of the same kind and name, at the service or in a workspace, if any (names are unique across them). */
function nameHolder(store: Store, path: string): string | undefined {
  const name = uniqueName(path.toLowerCase());
  if (!name) return undefined;
  const scopes = [
    '',
    ...Object.keys(store)
      .filter((k) => k.startsWith('workspaces/') && k.split('/').length === 2)
      .map((k) => `${k}/`),
  ];
  return scopes.map((scope) => `${scope}${name}`).find((key) => key !== path.toLowerCase() && has(store, key));
}

/** Lists under a workspace created by PUT that still answer 500, by workspace and then collection (facts §5). */
const newWorkspaces = new WeakMap<StoredResource, Map<string, number>>();
/** How many times each list under a new workspace answers 500 before it settles (more than one request's SDK retries). */
const NEW_WORKSPACE_FAILURES = 4;

function newWorkspaceFailure(store: Store, collection: string[]): ConfigAnswer | undefined {
  if (collection[0]?.toLowerCase() !== 'workspaces' || collection.length < 3) return undefined;
  const workspace = get(store, collection.slice(0, 2).join('/').toLowerCase());
  const failures = workspace && newWorkspaces.get(workspace);
  if (!failures) return undefined;
  const key = collection.join('/').toLowerCase();
  const count = failures.get(key) ?? 0;
  if (count >= NEW_WORKSPACE_FAILURES) return undefined;
  failures.set(key, count + 1);
  return fail(500, 'config.notready', 'InternalServerError', 'Something went wrong. The workspace is not ready yet.');
}

/** How many resources count against the same limit: per parent (one API's operations), or per instance (every API). */
function countedWith(store: Store, counter: LimitCounter): number {
  // A direct item of `collection/` (not something under one), a non-current revision not counted as an API.
  const itemOf = (key: string, collection: string) =>
    key.startsWith(`${collection}/`) && key.indexOf('/', collection.length + 1) === -1 && !key.slice(collection.length).includes(';rev=');
  if (counter.group.includes('/')) return Object.keys(store).filter((key) => itemOf(key, counter.group)).length;
  const kind = counter.pattern;
  return Object.keys(store).filter(
    (key) => itemOf(key, kind) || (key.startsWith('workspaces/') && key.split('/')[2] === kind && itemOf(key, key.split('/').slice(0, 3).join('/'))),
  ).length;
}

/** The service-level rule a workspace's follows (`workspaces/apis/releases` → `apis/releases`). */
function kindOfRule(rule: CollectionRule): string {
  return rule.type.replace(/^workspaces\//, '');
}

function isLinkTo(key: string, target: string): boolean {
  const segments = key.split('/');
  if (segments.length < 4) return false;
  const rule = COLLECTION_RULES[collectionKey(segments.slice(0, -1))];
  return !!rule?.linkTo && `${rule.linkTo}/${segments[segments.length - 1]}` === target;
}

function legacyDefaults(collection: string, name: string): Record<string, unknown> {
  if (collection === 'apis') return { displayName: name, path: name, protocols: ['https'], serviceUrl: `https://${name}.backend.example`, apiRevision: '1' };
  if (collection === 'products') return { displayName: name, state: 'published', subscriptionRequired: true };
  return { displayName: name, value: `${name}-setting`, secret: false };
}

function nextEtag(): string {
  etagCounter += 1;
  return `"${fakeGuid(`etag-${etagCounter}`).replace(/-/g, '').slice(0, 16)}"`;
}

function has(store: Store, key: string): boolean {
  return Object.hasOwn(store, key);
}

function get(store: Store, key: string): StoredResource | undefined {
  return Object.hasOwn(store, key) ? store[key] : undefined;
}

function fail(status: number, kind: string, code: string, message: string): ConfigAnswer {
  return { status, kind, body: { error: { code, message } } };
}
