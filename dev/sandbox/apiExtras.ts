/**
 * The sandbox's rules for what an API carries beside operations and policies (2024-05-01): `operationsByTags` (every
 * tagged operation of an API, one entry per tag, by relative IDs), resolvers only on a GraphQL API, and a wiki whose
 * documents must be documentations of the service. Never kinder than Azure: what it would refuse, this refuses.
 */
import type { CollectionRule } from './configRules';

type Store = Record<string, { path: string; properties: Record<string, unknown> }>;

/** `apis/{a}/operationsByTags`: a TagResourceContract per (operation, tag) link under the API (`apiKey`, lowercased). */
export function operationTagEntries(store: Store, apiKey: string): unknown[] {
  const prefix = `${apiKey}/operations/`;
  return Object.keys(store)
    .filter((key) => key.startsWith(prefix) && key.split('/').length === 6 && key.split('/')[4] === 'tags')
    .sort()
    .map((key) => {
      const [, api, , operation, , tag] = store[key]!.path.split('/') as [string, string, string, string, string, string];
      const contract = store[`${prefix}${operation.toLowerCase()}`]?.properties ?? {};
      return {
        tag: { id: `/tags/${tag}`, name: store[`tags/${tag.toLowerCase()}`]?.properties.displayName ?? tag },
        operation: {
          id: `/apis/${api}/operations/${operation}`,
          apiName: store[apiKey]?.properties.displayName ?? api,
          apiRevision: '1',
          name: contract.displayName ?? operation,
          method: contract.method,
          urlTemplate: contract.urlTemplate,
        },
      };
    });
}

/** Why ARM would refuse this PUT of a resolver, a wiki (an API's or a product's) or a tag description, if it would. */
export function apiExtraInvalid(store: Store, rule: CollectionRule, path: string, properties: Record<string, unknown>): string | undefined {
  const api = path.split('/').slice(0, 2).join('/').toLowerCase();
  if (rule.type === 'apis/resolvers' && store[api]?.properties.type !== 'graphql') return `'${path}': resolvers can only be added to a GraphQL API.`;
  // A tag description is named after a tag of the service (TagDescription_CreateOrUpdate's tagDescriptionId).
  if (rule.type === 'apis/tagDescriptions' && !store[`tags/${path.split('/').pop()!.toLowerCase()}`])
    return `'${path}': tag '${path.split('/').pop()}' was not found.`;
  if (rule.type === 'apis/wikis' || rule.type === 'products/wikis') {
    for (const document of (properties.documents as { documentationId?: string }[] | undefined) ?? []) {
      const id = document.documentationId ?? '';
      if (!store[`documentations/${id.toLowerCase()}`]) return `'${path}': documentation '${id}' was not found.`;
    }
  }
  return undefined;
}

/** What a tag description's GET adds: its tag, by full ID and display name (TagDescriptionContractProperties). */
export function tagDescriptionView(serviceId: string, store: Store, tag: string): Record<string, unknown> {
  return { tagId: `${serviceId}/tags/${tag}`, displayName: store[`tags/${tag.toLowerCase()}`]?.properties.displayName ?? tag };
}
