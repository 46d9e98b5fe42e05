/**
 * Finds tagged APIM instances with Azure Resource Graph: one query across every subscription (or a management group),
 * read page by page through `$skipToken`; never a call per subscription or per instance. A second small query lists
 * which of the named subscriptions Resource Graph can read, because it leaves out the ones it cannot without an error.
 */
import type { ResourceGraphClient, QueryRequest, QueryResponse } from '@azure/arm-resourcegraph';
import type { DiscoveryConfig } from '../config/schema';
import { AzureError, ensureError } from '../errors';

/** The most rows Resource Graph returns in one response (`$top` may not exceed it). */
export const GRAPH_PAGE_MAX = 1000;
/** A runaway paging loop (a token that never ends) stops here: far beyond any APIM fleet. */
const MAX_PAGES = 500;

/** The discovery query. Tag names and values are restricted by the config schema to characters that need no escaping. */
export function discoveryQuery(tag: DiscoveryConfig['tag']): string {
  return [
    'resources',
    "| where type =~ 'microsoft.apimanagement/service'",
    `| where tags['${tag.name}'] == '${tag.value}'`,
    '| project id, name, location, sku = tostring(sku.name), platform = tostring(properties.platformVersion), tags',
    '| order by id asc',
  ].join('\n');
}

/** Which of the named subscriptions Resource Graph can read (one row each). */
export const READABLE_SUBSCRIPTIONS_QUERY = [
  'resourcecontainers',
  "| where type =~ 'microsoft.resources/subscriptions'",
  '| project subscriptionId',
  '| order by subscriptionId asc',
].join('\n');

export interface GraphResult {
  rows: unknown[];
  requests: number;
  pages: number;
}

/** Runs one query over the discovery scope and follows `$skipToken` to the last page. */
export async function queryAllPages(client: ResourceGraphClient, discovery: DiscoveryConfig, query: string): Promise<GraphResult> {
  const scope: Pick<QueryRequest, 'subscriptions' | 'managementGroups'> = discovery.subscriptions
    ? { subscriptions: discovery.subscriptions }
    : { managementGroups: [discovery.managementGroup!] };
  const rows: unknown[] = [];
  let skipToken: string | undefined;
  let requests = 0;
  do {
    let page: QueryResponse;
    try {
      requests += 1;
      page = await client.resources({ ...scope, query, options: { top: GRAPH_PAGE_MAX, skipToken, resultFormat: 'objectArray' } });
    } catch (err) {
      throw new AzureError(`Resource Graph: ${graphMessage(err)}`, 'ResourceGraphFailed', (err as { statusCode?: number }).statusCode, { cause: err });
    }
    if (!Array.isArray(page.data)) throw new AzureError('Resource Graph answered without a row array (data)', 'ResourceGraphFailed');
    rows.push(...(page.data as unknown[]));
    // Truncated without a token: the rest cannot be paged to, so the list would be incomplete.
    if (page.resultTruncated === 'true' && !page.skipToken) {
      throw new AzureError(
        `Resource Graph truncated the result at ${rows.length} of ${page.totalRecords} rows and offered no $skipToken to read on`,
        'ResourceGraphTruncated',
      );
    }
    skipToken = page.skipToken;
  } while (skipToken && requests < MAX_PAGES);
  if (skipToken) throw new AzureError(`Resource Graph kept paging after ${MAX_PAGES} pages`, 'ResourceGraphTruncated');
  return { rows, requests, pages: requests };
}

function graphMessage(err: unknown): string {
  const error = ensureError(err) as Error & { statusCode?: number; code?: string; details?: { error?: { code?: string; message?: string } } };
  const inner = error.details?.error;
  const status = error.statusCode ? `${error.statusCode} ` : '';
  return `${status}${inner?.code ?? error.code ?? ''}${inner?.message ? `: ${inner.message}` : `: ${error.message}`}`.trim();
}
