import { afterEach, describe, expect, it } from 'vitest';
import { canonicalServiceId } from '../../src/domain/resourceId';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';
import { setTags } from '../../dev/sandbox/resourceGraph';
import { SANDBOX_SUBSCRIPTION } from '../../dev/sandbox/startSandbox';
import { DISCOVERY_BLOB } from '../../src/azure/discoveryStore';
import { INCIDENTS_BLOB } from '../../src/azure/stateLayout';
import { backupNow, runToCompletion, startHarness, sweepNow, type Harness } from '../support/harness';
import { startWebhook } from '../support/webhook';

const SUB_A = 'aaaaaaaa-0000-0000-0000-00000000000a';
const SUB_B = 'bbbbbbbb-0000-0000-0000-00000000000b';
const TAG = { 'apim-dr': 'protect' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const fleet = (): SandboxServiceSpec[] => [
  {
    subscriptionId: SANDBOX_SUBSCRIPTION,
    resourceGroup: 'rg-apim-weu',
    name: 'contoso-apim-weu',
    location: 'West Europe',
    sku: { name: 'Premium', capacity: 1 },
  },
  { subscriptionId: SUB_A, resourceGroup: 'rg-team-a', name: 'team-a-apim', location: 'West Europe', sku: { name: 'Standard', capacity: 1 }, tags: TAG },
  { subscriptionId: SUB_A, resourceGroup: 'rg-team-a', name: 'team-a-apim-2', location: 'West Europe', sku: { name: 'Developer', capacity: 1 } },
  { subscriptionId: SUB_B, resourceGroup: 'rg-team-b', name: 'team-b-apim', location: 'North Europe', sku: { name: 'Premium', capacity: 1 }, tags: TAG },
  { subscriptionId: SUB_B, resourceGroup: 'rg-team-b-dr', name: 'team-b-standby', location: 'West Europe', sku: { name: 'Premium', capacity: 1 } },
  // Tagged, and also listed in the config: the config's settings win.
  {
    subscriptionId: SANDBOX_SUBSCRIPTION,
    resourceGroup: 'rg-apim-dev',
    name: 'contoso-apim-dev',
    location: 'West Europe',
    sku: { name: 'Developer', capacity: 1 },
    tags: TAG,
  },
];

const weu = canonicalServiceId(SANDBOX_SUBSCRIPTION, 'rg-apim-weu', 'contoso-apim-weu');
const dev = canonicalServiceId(SANDBOX_SUBSCRIPTION, 'rg-apim-dev', 'contoso-apim-dev');

async function start(defaults: Record<string, unknown> = {}, webhookUrl?: string): Promise<Harness> {
  const h = await startHarness({
    settings: webhookUrl ? { OPS_WEBHOOK_URL: webhookUrl } : {},
    timers: true,
    start: new Date('2026-03-01T00:00:00Z'),
    services: fleet(),
    config: (sandbox) => ({
      ...sandbox.config({ services: [{ id: weu }, { id: dev, rpo: 'PT12H' }], defaults: { rpo: 'P1DT1H', ...defaults } }),
      discovery: { subscriptions: [SANDBOX_SUBSCRIPTION, SUB_A, SUB_B], tag: { name: 'apim-dr', value: 'protect' } },
      ...(webhookUrl ? { notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] } } : {}),
    }),
  });
  // One row a page: every refresh follows $skipToken through the whole result.
  h.sandbox.apim.graph.pageSize = 1;
  return h;
}

const backupsOf = async (h: Harness, service: string) => (await h.services.catalog.list()).filter((b) => b.service === service);

describe('tag discovery', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('backs up every tagged instance from the first tick, paging Resource Graph, with the config winning over a tag', async () => {
    h = await start();
    await h.clock.advance(10 * MINUTE);
    for (const name of ['team-a-apim', 'team-b-apim', 'contoso-apim-weu', 'contoso-apim-dev']) {
      expect(
        (await backupsOf(h, name)).map((b) => b.state),
        name,
      ).toEqual(['succeeded']);
    }
    expect(await backupsOf(h, 'team-a-apim-2')).toEqual([]);
    const graph = h.sandbox.apim.requests.filter((r) => r.kind === 'resourcegraph.post');
    // Three tagged rows at one a page, plus the readable-subscriptions check (three rows): pages of results, nothing per instance.
    expect(graph.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);

    const status = await h.api('GET', '/api/status');
    const byName = Object.fromEntries((status.body.instances as { service: string }[]).map((i) => [i.service, i]));
    expect(byName['team-a-apim']).toMatchObject({ origin: 'tag', newlyFound: true, rpoMs: 25 * HOUR });
    expect(byName['contoso-apim-dev']).toMatchObject({ origin: 'config', rpoMs: 12 * HOUR });
    expect(status.body.discovery).toMatchObject({
      found: 2,
      lastRefreshAt: '2026-03-01T00:05:00.000Z',
      newlyFound: ['team-a-apim', 'team-b-apim'],
      skipped: [{ service: 'contoso-apim-dev', reason: expect.stringContaining("listed in 'services'") }],
    });
    // A discovered instance resolves by name everywhere: a manual backup over HTTP.
    expect((await backupNow(h, 'team-b-apim')).state).toBe('succeeded');
  }, 120_000);

  it('backs up a newly tagged instance within one tick of the next hourly refresh, and stops when the tag goes, keeping its backups', async () => {
    h = await start();
    await h.clock.advance(10 * MINUTE);
    setTags(h.sandbox.apim, 'team-a-apim-2', TAG);
    setTags(h.sandbox.apim, 'team-a-apim', {});
    // Until the next refresh (01:05) nothing changes.
    await h.clock.advance(50 * MINUTE);
    expect(await backupsOf(h, 'team-a-apim-2')).toEqual([]);
    await h.clock.advance(10 * MINUTE);
    const found = await backupsOf(h, 'team-a-apim-2');
    expect(found.map((b) => [b.createdAt, b.state])).toEqual([['2026-03-01T01:05:00.000Z', 'succeeded']]);
    expect(h.logs.find((l) => l.event === 'apim-dr.discovery.found' && l.service === 'team-a-apim-2')).toBeDefined();
    expect(h.logs.find((l) => l.event === 'apim-dr.discovery.lost' && l.service === 'team-a-apim')).toBeDefined();

    // The untagged one: no more backups (the schedule's 02:00 passes), its first one kept, shown as no longer tagged.
    await h.clock.advance(2 * HOUR);
    expect((await backupsOf(h, 'team-a-apim')).map((b) => b.createdAt)).toEqual(['2026-03-01T00:05:00.000Z']);
    expect((await backupsOf(h, 'contoso-apim-weu')).length).toBe(2);
    const status = await h.api('GET', '/api/status');
    expect(status.body.instances.map((i: { service: string }) => i.service)).not.toContain('team-a-apim');
    expect(status.body.discovery.noLongerTagged).toEqual([
      { service: 'team-a-apim', id: canonicalServiceId(SUB_A, 'rg-team-a', 'team-a-apim'), lostAt: '2026-03-01T01:05:00.000Z' },
    ]);
    const page = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    expect(page).toContain('data-lost="team-a-apim"');
    expect(page).toMatch(/data-service="team-a-apim-2"[\s\S]*?data-origin="tag"/);
  }, 120_000);

  it('sweeps the backups of an instance that lost its tag as retired: past retention deleted, the newest kept until it expires', async () => {
    h = await start({ retention: 'P1D' });
    await h.clock.advance(10 * MINUTE);
    const newest = await backupNow(h, 'team-b-apim');
    setTags(h.sandbox.apim, 'team-b-apim', {});
    await h.clock.advance(HOUR);
    expect((await backupsOf(h, 'team-b-apim')).length).toBe(2);
    // The daily sweep at 03:30 on 2 March: the first backup is past the one-day retention; an unconfigured
    // instance's backups are never swept, a discovered-then-lost one's are, as retired.
    await h.clock.advance(27 * HOUR);
    expect((await backupsOf(h, 'team-b-apim')).map((b) => b.backupName)).toEqual([newest.backupName]);
    const plan = await sweepNow(h, true);
    expect(plan.plan.filter((i) => i.service === 'team-b-apim')).toEqual([
      expect.objectContaining({ backupName: newest.backupName, action: 'keep', reason: 'newest-restorable' }),
    ]);
  }, 180_000);

  it('shows a bad tag value as a finding on that instance and protects it with the defaults meanwhile', async () => {
    h = await start();
    setTags(h.sandbox.apim, 'team-b-apim', { ...TAG, 'apim-dr-rpo': 'one day', 'apim-dr-standby': 'contoso-apim-neu' });
    await h.clock.advance(10 * MINUTE);
    expect((await backupsOf(h, 'team-b-apim')).map((b) => b.state)).toEqual(['succeeded']);
    const status = await h.api('GET', '/api/status');
    const instance = status.body.instances.find((i: { service: string }) => i.service === 'team-b-apim');
    expect(instance).toMatchObject({ origin: 'tag', protection: 'at-risk', rpoMs: 25 * HOUR, standbys: [] });
    expect(instance.findings).toEqual([
      expect.stringContaining("tag apim-dr-rpo: 'one day' is not a positive ISO 8601 duration"),
      expect.stringContaining("tag apim-dr-standby: 'contoso-apim-neu' is not an APIM service resource ID"),
    ]);
  }, 120_000);

  it('restores a found instance into the standby its apim-dr-standby tag names, and nowhere else', async () => {
    const standby = canonicalServiceId(SUB_B, 'rg-team-b-dr', 'team-b-standby');
    h = await start();
    setTags(h.sandbox.apim, 'team-b-apim', { ...TAG, 'apim-dr-standby': standby });
    await h.clock.advance(10 * MINUTE);
    const refused = await h.api('POST', '/api/restores', { source: 'team-b-apim', target: 'team-a-apim', confirm: 'team-a-apim' });
    expect(refused.status).toBe(403);
    const started = await h.api('POST', '/api/restores', { source: 'team-b-apim', target: 'team-b-standby', confirm: 'team-b-standby' });
    expect(started.status).toBe(202);
    const done = await runToCompletion(h, started.body.id);
    expect(done.output).toMatchObject({ state: 'succeeded', target: 'team-b-standby' });
  }, 120_000);

  it('keeps the last good list when Resource Graph fails or a subscription is unreadable, says so, and opens one incident', async () => {
    const webhook = await startWebhook();
    h = await start({}, webhook.url);
    await h.clock.advance(10 * MINUTE);
    // Resource Graph throttles for longer than the refresh can wait: the hourly refresh fails.
    h.sandbox.apim.faults.add({ path: /ResourceGraph/, fault: { kind: 'status', status: 429, retryAfterSeconds: 600 }, times: 1000 });
    await h.clock.advance(HOUR);
    let status = await h.api('GET', '/api/status');
    expect(status.body.discovery.failure.message).toContain('Resource Graph: 429');
    expect(status.body.instances.map((i: { service: string }) => i.service)).toEqual(expect.arrayContaining(['team-a-apim', 'team-b-apim']));
    const incidents = JSON.parse((await h.sandbox.stateContainer().getBlockBlobClient(INCIDENTS_BLOB).downloadToBuffer()).toString());
    expect(Object.keys(incidents.incidents).filter((k) => k.startsWith('discovery.failed'))).toHaveLength(1);
    // The failed retries every five minutes announce nothing more.
    await h.clock.advance(20 * MINUTE);
    expect(webhook.received.filter((m) => m.text.includes('discovery'))).toHaveLength(1);

    // Back, but subscription B is not readable: its instance stays on the last good list.
    h.sandbox.apim.faults.clear();
    h.sandbox.apim.graph.unreadable.add(SUB_B);
    await h.clock.advance(10 * MINUTE);
    status = await h.api('GET', '/api/status');
    expect(status.body.discovery.failure).toMatchObject({ subscriptions: [SUB_B] });
    expect(status.body.discovery.noLongerTagged).toEqual([]);
    expect(status.body.instances.map((i: { service: string }) => i.service)).toContain('team-b-apim');

    h.sandbox.apim.graph.unreadable.clear();
    await h.clock.advance(10 * MINUTE);
    status = await h.api('GET', '/api/status');
    expect(status.body.discovery.failure).toBeUndefined();
    const state = JSON.parse((await h.sandbox.stateContainer().getBlockBlobClient(DISCOVERY_BLOB).downloadToBuffer()).toString());
    expect(state.lastSuccessAt).toBe(state.lastAttemptAt);
    expect(webhook.received.map((m) => m.text).filter((t) => t.includes('discovery'))).toEqual([
      expect.stringContaining('Tag discovery failed'),
      expect.stringContaining('Resolved: Tag discovery reads every subscription again'),
    ]);
    await webhook.close();
  }, 120_000);
});
