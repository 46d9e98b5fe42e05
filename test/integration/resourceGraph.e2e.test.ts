/** The sandbox's Resource Graph through the real @azure/arm-resourcegraph SDK, over HTTPS: paging, limits, throttling, scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { parseConfig } from '../../src/config/loadConfig';
import type { DiscoveryConfig } from '../../src/config/schema';
import { discoveryQuery, queryAllPages, READABLE_SUBSCRIPTIONS_QUERY } from '../../src/azure/resourceGraph';
import { startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';
import { createServices } from '../../src/services';
import { AzureError } from '../../src/errors';

const subscription = (i: number) => `${String(i).padStart(8, '0')}-0000-0000-0000-000000000000`;
const SUBSCRIPTIONS = Array.from({ length: 5 }, (_, i) => subscription(i + 1));
const TAG = { name: 'apim-dr', value: 'protect' };

const tagsOf = (i: number): Record<string, string> => (i % 2 ? {} : { 'apim-dr': 'protect' });

/** 2,500 instances over five subscriptions; every other one tagged. */
const specs: SandboxServiceSpec[] = Array.from({ length: 2500 }, (_, i) => ({
  subscriptionId: SUBSCRIPTIONS[i % 5]!,
  resourceGroup: `rg-${i % 7}`,
  name: `apim-${String(i).padStart(4, '0')}`,
  location: 'westeurope',
  sku: { name: i % 3 ? 'Premium' : 'Developer', capacity: 1 },
  tags: tagsOf(i),
}));

describe('Resource Graph in the sandbox', () => {
  let sandbox: RunningSandbox;
  let client: ResourceGraphClient;
  const discovery: DiscoveryConfig = { subscriptions: SUBSCRIPTIONS, tag: TAG, refresh: 3_600_000 };
  const graphRequests = () => sandbox.apim.requests.filter((r) => r.kind === 'resourcegraph.post');

  beforeAll(async () => {
    sandbox = await startSandbox({ services: specs });
    const config = parseConfig({ ...sandbox.config({ services: [] }), discovery: { subscriptions: SUBSCRIPTIONS, tag: TAG } });
    client = createServices(config, { settings: sandbox.settings, extraCa: sandbox.caPem }).resourceGraph();
  }, 60_000);
  afterAll(async () => {
    await sandbox.close();
  });

  it('answers the discovery query in pages of 1000 rows, following $skipToken, with tier, region and platform', async () => {
    sandbox.apim.requests.length = 0;
    const result = await queryAllPages(client, discovery, discoveryQuery(TAG));
    expect(result.rows).toHaveLength(1250);
    expect(result.pages).toBe(2);
    expect(graphRequests()).toHaveLength(2);
    expect(result.rows[0]).toEqual({
      id: `/subscriptions/${SUBSCRIPTIONS[0]}/resourceGroups/rg-0/providers/Microsoft.ApiManagement/service/apim-0000`,
      name: 'apim-0000',
      location: 'westeurope',
      sku: 'Developer',
      platform: 'stv2',
      tags: { 'apim-dr': 'protect' },
    });
  });

  it('refuses $top above 1000 and a $skipToken from another query, as Azure does', async () => {
    await expect(client.resources({ subscriptions: SUBSCRIPTIONS, query: 'resources', options: { top: 1001 } })).rejects.toMatchObject({ statusCode: 400 });
    const first = await client.resources({ subscriptions: SUBSCRIPTIONS, query: discoveryQuery(TAG) });
    expect(first.skipToken).toBeDefined();
    await expect(
      client.resources({ subscriptions: SUBSCRIPTIONS.slice(1), query: discoveryQuery(TAG), options: { skipToken: first.skipToken } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.resources({ subscriptions: SUBSCRIPTIONS, query: 'resources | summarize count()' })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('throttles past its quota with 429 and Retry-After, which the SDK waits out', async () => {
    sandbox.apim.graph.quota = { requests: 2, windowMs: 1_000 };
    // The quota counts the last second on the real clock: let the earlier tests' requests fall out of it first.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    sandbox.apim.requests.length = 0;
    try {
      for (let i = 0; i < 3; i++) await client.resources({ subscriptions: SUBSCRIPTIONS, query: READABLE_SUBSCRIPTIONS_QUERY });
    } finally {
      sandbox.apim.graph.quota = { requests: 15, windowMs: 5_000 };
    }
    expect(graphRequests().map((r) => r.status)).toEqual([200, 200, 429, 200]);
  });

  it('leaves out an unreadable subscription silently, and the readable-subscriptions query shows which', async () => {
    sandbox.apim.graph.unreadable.add(SUBSCRIPTIONS[4]!);
    try {
      const result = await queryAllPages(client, discovery, discoveryQuery(TAG));
      expect(result.rows).toHaveLength(1000);
      const readable = await queryAllPages(client, discovery, READABLE_SUBSCRIPTIONS_QUERY);
      expect(readable.rows.map((r) => (r as { subscriptionId: string }).subscriptionId)).toEqual(SUBSCRIPTIONS.slice(0, 4));
    } finally {
      sandbox.apim.graph.unreadable.clear();
    }
  });

  it('queries a management group', async () => {
    sandbox.apim.graph.managementGroups.set('mg-platform', SUBSCRIPTIONS.slice(0, 2));
    const result = await queryAllPages(client, { managementGroup: 'mg-platform', tag: TAG, refresh: 3_600_000 }, discoveryQuery(TAG));
    expect(result.rows).toHaveLength(500);
  });

  it('fails a listing that Azure truncates without a $skipToken instead of returning part of it', async () => {
    await expect(queryAllPages(client, discovery, "resources | where type =~ 'microsoft.apimanagement/service' | project tags")).rejects.toThrow(AzureError);
    await expect(queryAllPages(client, discovery, "resources | where type =~ 'microsoft.apimanagement/service' | project tags")).rejects.toMatchObject({
      code: 'ResourceGraphTruncated',
    });
  });
});
