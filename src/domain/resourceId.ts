/** Parsing and validating APIM service resource IDs. */

export interface ServiceRef {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/**
 * The APIM service name rule, the one spelling of it (IDs, config, blob and record names): 1-50 characters,
 * letters, digits and hyphens, starting with a letter and ending with a letter or digit. It never contains `.`.
 */
export const SERVICE_NAME_PATTERN = '[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?';

export const SERVICE_NAME = new RegExp(`^${SERVICE_NAME_PATTERN}$`);

const SERVICE_ID = new RegExp(
  `^/subscriptions/([0-9a-fA-F-]{36})/resourceGroups/([-\\w.()]{1,90})/providers/Microsoft\\.ApiManagement/service/(${SERVICE_NAME_PATTERN})$`,
  'i',
);

export function parseServiceId(id: string): ServiceRef | undefined {
  const m = SERVICE_ID.exec(id);
  if (!m) return undefined;
  const [, subscriptionId, resourceGroup, name] = m as unknown as [string, string, string, string];
  return { id: canonicalServiceId(subscriptionId, resourceGroup, name), subscriptionId: subscriptionId.toLowerCase(), resourceGroup, name };
}

export function canonicalServiceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${name}`;
}

export const SERVICE_ID_EXAMPLE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg/providers/Microsoft.ApiManagement/service/my-apim';

export function sameServiceId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
