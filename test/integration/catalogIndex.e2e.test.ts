import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/azure/catalog';
import { CATALOG_INDEX_BUILT_BLOB, INDEX_STALE_AFTER_MS, catalogIndexShard } from '../../src/azure/catalogIndex';
import { newestRestorable } from '../../src/domain/expiry';
import { sweepHorizon } from '../../src/domain/sweepPlan';
import { backupNow, startHarness, sweepNow, type Harness } from '../support/harness';

describe('the catalog index', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const newestOf = (entries: CatalogEntry[], service: string) =>
    newestRestorable(
      entries.filter((e) => e.service === service),
      h.clock.now(),
      h.services.config.defaults.restoreMargin,
    )?.backupName;
  // The index is apim-dr's state: it lives in the state container, beside the records.
  const indexBlob = () => h.sandbox.stateContainer().getBlockBlobClient(CATALOG_INDEX_BUILT_BLOB);
  const shardBlob = (service: string) => h.sandbox.stateContainer().getBlockBlobClient(catalogIndexShard(service));

  it('learns of each backup as it starts and finishes, without listing the catalog again', async () => {
    await h.api('GET', '/api/status');
    const builtAt = (await h.services.catalogIndex.view()).builtAt;
    await backupNow(h, 'contoso-apim-weu');
    await h.clock.advance(3_600_000);
    h.sandbox.apim.failNextOperation('contoso-apim-weu', { code: 'BackupFailed', message: 'injected' });
    await backupNow(h, 'contoso-apim-weu');
    const view = await h.services.catalogIndex.view();
    const catalog = await h.services.catalog.list();
    // Not rebuilt: the start and finish activities merged both backups in.
    expect(view.builtAt).toBe(builtAt);
    expect(view.entries.map((e) => `${e.backupName} ${e.state}`)).toEqual(catalog.map((e) => `${e.backupName} ${e.state}`));
    expect(newestOf(view.entries, 'contoso-apim-weu')).toBe(newestOf(catalog, 'contoso-apim-weu'));
    expect(view.durations.get('contoso-apim-weu')).toHaveLength(1);
    // Counted per day as they settled, once each.
    const today = h.clock.now().toISOString().slice(0, 10);
    expect(view.days.get('contoso-apim-weu')?.[today]).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('is rebuilt from the catalog when it is missing, unreadable or older than a missed sweep', async () => {
    await backupNow(h, 'contoso-apim-neu');
    const catalog = await h.services.catalog.list();
    await indexBlob().deleteIfExists();
    expect(newestOf((await h.services.catalogIndex.view()).entries, 'contoso-apim-neu')).toBe(newestOf(catalog, 'contoso-apim-neu'));
    await indexBlob().upload('not json', 8);
    expect(newestOf((await h.services.catalogIndex.view()).entries, 'contoso-apim-neu')).toBe(newestOf(catalog, 'contoso-apim-neu'));
    await shardBlob('contoso-apim-neu').deleteIfExists();
    await indexBlob().deleteIfExists();
    expect(newestOf((await h.services.catalogIndex.view()).entries, 'contoso-apim-neu')).toBe(newestOf(catalog, 'contoso-apim-neu'));
    await shardBlob('contoso-apim-neu').upload('{"schemaVersion":2}', 19);
    expect(newestOf((await h.services.catalogIndex.view()).entries, 'contoso-apim-neu')).toBe(newestOf(catalog, 'contoso-apim-neu'));
    const builtAt = Date.parse((await h.services.catalogIndex.view()).builtAt);
    await h.clock.advance(INDEX_STALE_AFTER_MS + 60_000);
    expect(Date.parse((await h.services.catalogIndex.view()).builtAt)).toBeGreaterThan(builtAt + INDEX_STALE_AFTER_MS);
  });

  it('is rebuilt by the daily sweep, which lists the whole catalog anyway', async () => {
    await backupNow(h, 'contoso-apim-dev');
    await indexBlob().deleteIfExists();
    await sweepNow(h);
    expect(await indexBlob().exists()).toBe(true);
    const view = await h.services.catalogIndex.view();
    expect(newestOf(view.entries, 'contoso-apim-dev')).toBe(newestOf(await h.services.catalog.list(), 'contoso-apim-dev'));
  });

  it("keeps each instance's sweep horizon: from a listing, moved earlier only by backups recorded since, unknown when not listed", async () => {
    const WEU = 'contoso-apim-weu';
    const horizonOf = async (service: string) => (await h.services.catalogIndex.instance(service))?.sweepHorizon;
    const listedHorizon = async (service: string) => sweepHorizon((await h.services.catalog.list(service)).filter((e) => e.service === service));
    // The sweep after the first backup listed the instance and kept what it showed.
    const first = (await backupNow(h, WEU)).backupName;
    const { createdAt, expiresAt } = (await h.services.catalog.read(first))!.manifest;
    expect(await horizonOf(WEU)).toEqual({ createdAt, expiresAt });
    await h.clock.advance(3_600_000);
    await backupNow(h, WEU);
    expect(await horizonOf(WEU)).toEqual({ createdAt, expiresAt });
    await h.services.catalogIndex.rebuild();
    expect(await horizonOf(WEU)).toEqual(await listedHorizon(WEU));

    // An instance's blob written by a recorded backup alone knows nothing of older entries: unknown, not "none".
    const NEU = 'contoso-apim-neu';
    const neu = (await backupNow(h, NEU)).backupName;
    await shardBlob(NEU).delete();
    await h.services.catalogIndex.record((await h.services.catalog.read(neu))!.manifest);
    expect((await h.services.catalogIndex.instance(NEU))?.entries.map((e) => e.backupName)).toEqual([neu]);
    expect(await horizonOf(NEU)).toBeUndefined();
    await h.services.catalogIndex.recordSweepHorizon(NEU, await listedHorizon(NEU));
    expect(await horizonOf(NEU)).toEqual(await listedHorizon(NEU));

    // Only a current index is read: a day and a bit without the daily sweep, and there is nothing to trust.
    await h.clock.advance(INDEX_STALE_AFTER_MS);
    expect(await h.services.catalogIndex.instance(WEU)).toBeUndefined();
  });
});
