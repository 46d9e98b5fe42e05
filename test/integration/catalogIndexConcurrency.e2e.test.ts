/**
 * Backups of a fleet finish together (hundreds at the top of the hour): each finish merges its entry into the catalog
 * index. With one blob per instance, finishes on different instances never contend, and none is lost.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogIndex } from '../../src/azure/catalogIndex';
import { storageStatus } from '../../src/azure/storageErrors';
import type { BackupManifest } from '../../src/domain/manifest';
import { startHarness, type Harness } from '../support/harness';

const INSTANCES = 40;

/** The state container, counting the conditional writes storage refused because another writer got there first. */
function countingConflicts(container: ContainerClient) {
  const stats = { writes: 0, conflicts: 0, reads: 0 };
  const counted = new Proxy(container, {
    get(target, key) {
      if (key === 'getBlockBlobClient') {
        return (name: string) => {
          const blob = target.getBlockBlobClient(name);
          const upload = blob.upload.bind(blob);
          const download = blob.download.bind(blob);
          blob.download = (...args: Parameters<typeof download>) => {
            stats.reads += 1;
            return download(...args);
          };
          blob.upload = async (...args: Parameters<typeof upload>) => {
            stats.writes += 1;
            try {
              return await upload(...args);
            } catch (err) {
              if (storageStatus(err) === 412 || storageStatus(err) === 409) stats.conflicts += 1;
              throw err;
            }
          };
          return blob;
        };
      }
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { counted, stats };
}

describe('the catalog index under a fleet finishing at once', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('takes every one of many parallel finishes on different instances, with no write conflict and no lost update', async () => {
    h = await startHarness();
    const { counted, stats } = countingConflicts(h.sandbox.stateContainer());
    const index = new CatalogIndex(counted, h.services.catalog, h.clock);
    await index.rebuild();
    const at = h.clock.now();
    const manifest = (i: number, state: 'running' | 'succeeded' | 'failed'): BackupManifest => ({
      schemaVersion: 1,
      backupName: `fleet-${i}.${at.toISOString().replace(/[-:]|\.\d+/g, '')}.scheduled.apimbackup`,
      storageAccount: h!.services.config.storage.account,
      container: h!.services.config.storage.container,
      serviceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/fleet-${i}`,
      trigger: 'scheduled',
      requestedBy: 'schedule',
      correlationId: 'fleet',
      owner: 'fleet',
      startedAt: at.toISOString(),
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 30 * 86_400_000).toISOString(),
      state,
      ...(state === 'running' ? {} : { completedAt: new Date(at.getTime() + 600_000).toISOString() }),
      ...(state === 'failed' ? { error: { code: 'BackupFailed', message: 'injected' } } : {}),
    });
    const ids = Array.from({ length: INSTANCES }, (_, i) => i);
    stats.writes = 0;
    await Promise.all(ids.map((i) => index.record(manifest(i, 'running'))));
    // Every fifth fails; each finish is recorded twice, as an activity run again would.
    await Promise.all(ids.map((i) => index.record(manifest(i, i % 5 === 0 ? 'failed' : 'succeeded'))));
    await Promise.all(ids.map((i) => index.record(manifest(i, i % 5 === 0 ? 'failed' : 'succeeded'))));

    expect(stats.conflicts).toBe(0);
    expect(stats.writes).toBe(3 * INSTANCES);
    const view = await index.view();
    const day = at.toISOString().slice(0, 10);
    for (const i of ids) {
      expect(view.entries.find((e) => e.service === `fleet-${i}`)?.state, `fleet-${i}`).toBe(i % 5 === 0 ? 'failed' : 'succeeded');
      expect(view.days.get(`fleet-${i}`)?.[day], `fleet-${i}`).toMatchObject(i % 5 === 0 ? { succeeded: 0, failed: 1 } : { succeeded: 1, failed: 0 });
    }

    // A warm reader downloads the marker and only the blobs that changed since it last saw them.
    stats.reads = 0;
    await index.view();
    expect(stats.reads).toBe(1);
    await index.record({ ...manifest(3, 'running'), backupName: `fleet-3.${'20300101T000000Z'}.scheduled.apimbackup` });
    stats.reads = 0;
    const after = await index.view();
    expect(stats.reads).toBe(1);
    const other = new CatalogIndex(counted, h.services.catalog, h.clock);
    stats.reads = 0;
    expect((await other.view()).entries).toEqual(after.entries);
    expect(stats.reads).toBe(1 + INSTANCES);
  });
});
