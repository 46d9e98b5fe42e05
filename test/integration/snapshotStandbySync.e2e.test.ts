import { afterEach, describe, expect, it } from 'vitest';
import { readConfiguration } from '../../src/azure/snapshot/readConfiguration';
import { parseServiceId } from '../../src/domain/resourceId';
import { seedResource } from '../../dev/sandbox/configApi';
import { snapshotApplyInstanceId } from '../../src/workflows/snapshot/names';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

const PREMIUM = 'contoso-apim-weu';

describe('standby sync with snapshots (a v2 source or standby)', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  /** `source` is protected by snapshots and keeps the v2 standby in sync as `sync` says; no other standby syncs. */
  async function start(source: string, sync: string) {
    h = await startHarness({
      services: V2_SERVICES,
      config: (sandbox) => {
        const config = v2Config(sandbox) as { services: { id: string; standbys?: { id: string; sync: string }[]; [k: string]: unknown }[] };
        for (const s of config.services) {
          s.standbys = (s.standbys ?? []).map((b) => ({ ...b, sync: 'manual' }));
          if (!s.id.endsWith(`/${source}`)) continue;
          s.snapshots = { afterChange: false };
          s.standbys = s.standbys.map((b) => (b.id.endsWith(`/${V2_STANDBY}`) ? { ...b, sync } : b));
        }
        return config;
      },
    });
    seedFullConfiguration(h.sandbox.apim.service(source), { apis: 2, operations: 2 });
  }

  const snapshot = async (service: string) => (await takeSnapshot(h.services, { serviceId: service, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  async function tick() {
    await h.host.invokeTimer('scheduleTick');
    return h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!;
  }
  const applyId = snapshotApplyInstanceId(V2_STANDBY, idOf(V2_STANDBY));
  async function finishSync() {
    const instance = await runToCompletion(h, applyId);
    expect(instance.runtimeStatus).toBe('Completed');
    return instance.output as { state: string; snapshotName: string; purpose: string; mode: string; requestedBy: string; failed: unknown[] };
  }
  async function standbyStatus(source: string) {
    const status = await h.api('GET', '/api/status');
    const instance = status.body.instances.find((i: { service: string }) => i.service === source);
    return instance.standbys.find((b: { service: string }) => b.service === V2_STANDBY);
  }
  /** Content by path, what a snapshot carries (secrets aside: the source's secret named value is not captured). */
  async function content(service: string) {
    const read = await readConfiguration(h.services.configClient(parseServiceId(idOf(service))!));
    return Object.fromEntries(read.resources.map((r) => [r.path, r.properties]));
  }

  it('after-backup: applies each new snapshot of a v2 source to its v2 standby, once, and status follows', async () => {
    await start(V2, 'after-backup');
    expect(await standbyStatus(V2)).toMatchObject({ via: 'snapshot', state: 'never-restored' });
    const first = await snapshot(V2);
    expect(await tick()).toMatchObject({ syncs: [`${V2}→${V2_STANDBY}`] });
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.sync.started').at(-1)).toMatchObject({ via: 'snapshot', snapshotName: first, reason: 'after-backup' });
    const applied = await finishSync();
    // Partial: the secret named value was not captured, and what names it waits for it (as the dry run reports).
    expect(applied).toMatchObject({ snapshotName: first, purpose: 'sync', mode: 'mirror', requestedBy: 'sync:after-backup', state: 'partial', failed: [] });
    const [source, standby] = [await content(V2), await content(V2_STANDBY)];
    const same = Object.keys(standby).filter((path) => JSON.stringify(standby[path]) === JSON.stringify(source[path]));
    expect(same.length).toBeGreaterThan(20);
    expect(standby['apis/api-1']).toEqual(source['apis/api-1']);
    expect(await standbyStatus(V2)).toMatchObject({ via: 'snapshot', state: 'in-sync', lagMs: 0, lastApply: { snapshotName: first, purpose: 'sync' } });
    // Nothing new: nothing to sync, and no native restore is tried into the v2 standby.
    expect(await tick()).toMatchObject({ syncs: [] });
    expect(h.sandbox.apim.count('restore.post', V2_STANDBY)).toBe(0);

    // A change on the source, a new snapshot: the standby is behind until the next tick syncs it.
    seedResource(h.sandbox.apim.service(V2), 'apis/added', { displayName: 'Added', path: 'added', protocols: ['https'], serviceUrl: 'https://added.example' });
    await h.clock.advance(60 * 60_000);
    const second = await snapshot(V2);
    expect(await standbyStatus(V2)).toMatchObject({ state: 'behind', lagMs: 60 * 60_000 });
    expect(await tick()).toMatchObject({ syncs: [`${V2}→${V2_STANDBY}`] });
    expect(await finishSync()).toMatchObject({ snapshotName: second, state: 'partial' });
    expect((await content(V2_STANDBY))['apis/added']).toEqual((await content(V2))['apis/added']);
    expect(await standbyStatus(V2)).toMatchObject({ state: 'in-sync', lastApply: { snapshotName: second } });
    expect(await tick()).toMatchObject({ syncs: [] });
  });

  it('a schedule: applies the newest snapshot when the schedule fires and the standby is behind', async () => {
    await start(V2, '0 0 2 * * *');
    const first = await snapshot(V2);
    // The schedule last fired at 02:00 the day before, with no sync since, and the standby holds nothing: synced now.
    expect(await tick()).toMatchObject({ syncs: [`${V2}→${V2_STANDBY}`] });
    expect(await finishSync()).toMatchObject({ snapshotName: first, requestedBy: 'sync:schedule' });
    await h.clock.advance(60 * 60_000);
    await snapshot(V2);
    // Behind, but the schedule has not fired since the last sync: it waits.
    expect(await tick()).toMatchObject({ syncs: [] });
    expect(await standbyStatus(V2)).toMatchObject({ state: 'behind' });
    await h.clock.advance(60 * 60_000);
    expect(await tick()).toMatchObject({ syncs: [`${V2}→${V2_STANDBY}`] });
    await finishSync();
    expect(await standbyStatus(V2)).toMatchObject({ state: 'in-sync' });
  });

  it('a Premium source protected by snapshots keeps its v2 standby in sync with snapshots, not restores', async () => {
    await start(PREMIUM, 'after-backup');
    // It has a native backup too: without the snapshot sync, the tick would plan a restore of it into the v2 standby.
    await backupNow(h, PREMIUM);
    const first = await snapshot(PREMIUM);
    expect(await tick()).toMatchObject({ syncs: [`${PREMIUM}→${V2_STANDBY}`] });
    expect(await finishSync()).toMatchObject({ snapshotName: first, purpose: 'sync' });
    expect(h.sandbox.apim.count('restore.post', V2_STANDBY)).toBe(0);
    expect(await h.services.restores.recent(V2_STANDBY)).toEqual([]);
    expect(h.logs.filter((r) => String(r['event']).startsWith('apim-dr.restore.'))).toEqual([]);
    expect(await standbyStatus(PREMIUM)).toMatchObject({ via: 'snapshot', state: 'in-sync' });
    // Its other standby (Premium, manual) is still shown from native restores.
    const status = await h.api('GET', '/api/status');
    const others = status.body.instances
      .find((i: { service: string }) => i.service === PREMIUM)
      .standbys.filter((b: { service: string }) => b.service !== V2_STANDBY);
    expect(others.length).toBeGreaterThan(0);
    for (const b of others) expect(b.via).toBeUndefined();
  });
});
