import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { apimEvent, armEvent, cloudEvent } from '../support/eventPayloads';

const MINUTE = 60_000;
const WEU = 'contoso-apim-weu';

describe('event-triggered backups', () => {
  let h: Harness;
  let weuId: string;
  beforeEach(async () => {
    h = await startHarness({
      timers: true,
      config: (sandbox) => {
        const config = sandbox.config({ schedule: '0 0 2 1 1 *' }) as { services: { id: string; events?: unknown }[] };
        config.services[0]!.events = { enabled: true, quietPeriod: 'PT5M', maxDelay: 'PT30M' };
        return config;
      },
    });
    weuId = h.sandbox.apim.service(WEU).id;
    // The first tick backs up the never-backed-up instances; after that the yearly schedule stays quiet.
    await h.clock.advance(15 * MINUTE);
  });
  afterEach(async () => {
    await h.close();
  });

  const deliver = (events: unknown[]) => h.api('POST', '/runtime/webhooks/EventGrid?functionName=onConfigurationChange', events);
  const eventBackups = async () => (await h.services.catalog.list(WEU)).filter((e) => e.trigger === 'event');
  const manifests = async () => Promise.all((await eventBackups()).map(async (e) => (await h.services.catalog.read(e.backupName))!.manifest));

  it('backs up once after a single change, within the quiet period plus one tick', async () => {
    const changedAt = h.clock.now();
    const event = apimEvent(weuId, 'Microsoft.ApiManagement.APIUpdated', '/apis/orders', changedAt);
    expect((await deliver([event])).status).toBe(202);
    await h.clock.advance(15 * MINUTE);
    const [manifest, ...rest] = await manifests();
    expect(rest).toEqual([]);
    expect(manifest).toMatchObject({ trigger: 'event', requestedBy: 'events', events: { count: 1, ids: [event.id] } });
    const delay = Date.parse(manifest!.startedAt) - changedAt.getTime();
    expect(delay).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(delay).toBeLessThanOrEqual(10 * MINUTE);
  });

  it('backs up once for a burst of changes from both sources', async () => {
    for (let i = 0; i < 30; i++) {
      const at = h.clock.now();
      await deliver([
        i % 2
          ? apimEvent(weuId, 'Microsoft.ApiManagement.ProductUpdated', `/products/p${i}`, at)
          : armEvent(weuId, 'Microsoft.Resources.ResourceWriteSuccess', 'Microsoft.ApiManagement/service/namedValues/write', `/namedValues/nv${i}`, at),
      ]);
      await h.clock.advance(6_000);
    }
    await h.clock.advance(20 * MINUTE);
    const all = await manifests();
    expect(all).toHaveLength(1);
    expect(all[0]!.events?.count).toBe(30);
  });

  it('follows a backup that was running during a change with exactly one more', async () => {
    await deliver([apimEvent(weuId, 'Microsoft.ApiManagement.APICreated', '/apis/a', h.clock.now())]);
    // Wait until the event backup has started, then change again while it runs.
    await h.clock.runUntil(() => h.sandbox.apim.service(WEU).provisioningState === 'Updating');
    await deliver([armEvent(weuId, 'Microsoft.Resources.ResourceDeleteSuccess', 'Microsoft.ApiManagement/service/apis/delete', '/apis/b', h.clock.now())]);
    await h.clock.advance(60 * MINUTE);
    const all = await manifests();
    expect(all.map((m) => m.events?.count)).toEqual([1, 1]);
    expect(all.every((m) => m.state === 'succeeded')).toBe(true);
  });

  it('ignores instances that are not configured or have events off, and its own backup and restore actions', async () => {
    const at = h.clock.now();
    const stranger = '/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg/providers/Microsoft.ApiManagement/service/someone-else';
    const neu = h.sandbox.apim.service('contoso-apim-neu').id;
    await deliver([
      apimEvent(stranger, 'Microsoft.ApiManagement.APIUpdated', '/apis/x', at),
      apimEvent(neu, 'Microsoft.ApiManagement.APIUpdated', '/apis/x', at),
      armEvent(weuId, 'Microsoft.Resources.ResourceActionSuccess', 'Microsoft.ApiManagement/service/backup/action', '', at),
      armEvent(weuId, 'Microsoft.Resources.ResourceActionSuccess', 'Microsoft.ApiManagement/service/restore/action', '', at),
      armEvent(weuId, 'Microsoft.Resources.ResourceActionSuccess', 'Microsoft.ApiManagement/service/subscriptions/listSecrets/action', '/subscriptions/s1', at),
    ]);
    await h.clock.advance(40 * MINUTE);
    expect(await eventBackups()).toEqual([]);
    expect((await h.services.changes.read(WEU)).state.count).toBe(0);
  });

  it('drops malformed and oversized events with their ids, and still records the good ones in the batch', async () => {
    const good = apimEvent(weuId, 'Microsoft.ApiManagement.UserCreated', '/users/u1', h.clock.now());
    const response = await deliver([
      { id: 'broken-1', eventType: 'Microsoft.ApiManagement.APIUpdated' },
      { ...apimEvent(weuId, 'Microsoft.ApiManagement.APIUpdated', '/apis/x', h.clock.now(), 'huge-1'), data: { resourceUri: 'x', blob: 'y'.repeat(100_000) } },
      'not even an object',
      good,
    ]);
    expect(response.status).toBe(202);
    const malformed = h.logs.filter((l) => l['event'] === 'apim-dr.event.malformed');
    expect(malformed.map((l) => l['eventId'])).toEqual(['broken-1', 'huge-1', undefined]);
    expect((await h.services.changes.read(WEU)).state).toMatchObject({ count: 1, ids: [good.id] });
  });

  it('counts a redelivered event once (Event Grid delivers at least once)', async () => {
    const event = armEvent(
      weuId,
      'Microsoft.Resources.ResourceWriteSuccess',
      'Microsoft.ApiManagement/service/apis/policies/write',
      '/apis/orders/policies/policy',
      h.clock.now(),
    );
    await deliver([event]);
    await deliver([event, event]);
    expect((await h.services.changes.read(WEU)).state.count).toBe(1);
  });

  it('accepts the CloudEvents schema', async () => {
    await deliver([cloudEvent(weuId, 'Microsoft.ApiManagement.APIReleaseCreated', '/apis/orders/releases/r1', h.clock.now())]);
    await h.clock.advance(15 * MINUTE);
    expect(await eventBackups()).toHaveLength(1);
  });

  it('answers 404 for a function that is not an Event Grid function', async () => {
    expect((await h.api('POST', '/runtime/webhooks/EventGrid?functionName=nope', [])).status).toBe(404);
    for (const id of [...h.host.engine.instances.keys()]) await runToCompletion(h, id);
  });
});
