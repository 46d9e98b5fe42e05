/** Parsing and validating APIM service resource IDs. */

export interface ServiceRef {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const SERVICE_ID =
  /^\/subscriptions\/([0-9a-fA-F-]{36})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.ApiManagement\/service\/([a-zA-Z][a-zA-Z0-9-]{0,48}[a-zA-Z0-9]?)$/i;

/** An APIM service name: starts with a letter, letters/digits/hyphens, 1-50 chars. It never contains `.`. */
export const SERVICE_NAME = /^[a-zA-Z](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])?$/;

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
