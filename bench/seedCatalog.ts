/**
 * Seeds a catalog quickly: N backups (a 64-byte blob with apim-dr's index tags, and its manifest) spread over the
 * given instances, with ages spread so that `expiredShare` of them are past 30 days. For benches and scale tests.
 */
import { backupName } from '../src/domain/backupName';
import { expiresAt } from '../src/domain/expiry';
import { manifestTags, type BackupManifest } from '../src/domain/manifest';
import { canonicalServiceId } from '../src/domain/resourceId';
import type { Services } from '../src/services';
import type { ContainerClient } from '@azure/storage-blob';

const DAY = 86_400_000;
export const SEED_SUBSCRIPTION = '22222222-2222-2222-2222-222222222222';

export interface SeedOptions {
  entries: number;
  names: string[];
  now: Date;
  expiredShare: number;
  /** Uploads in flight at once. */
  width?: number;
}

export async function seedCatalog(container: ContainerClient, services: Services, options: SeedOptions): Promise<void> {
  const { entries, names, now, expiredShare } = options;
  const windowMs = (30 * DAY) / (1 - expiredShare);
  const jobs = Array.from({ length: entries }, (_, i) => async () => {
    const service = names[i % names.length]!;
    // A stride coprime with most sizes scatters the ages, so each instance gets old and new backups.
    const created = new Date(now.getTime() - 60_000 - Math.floor((((i * 7919) % entries) / entries) * windowMs));
    const name = backupName(service, created, 'scheduled');
    const manifest: BackupManifest = {
      schemaVersion: 1,
      backupName: name,
      storageAccount: services.config.storage.account,
      container: services.config.storage.container,
      serviceId: canonicalServiceId(SEED_SUBSCRIPTION, 'rg', service),
      trigger: 'scheduled',
      requestedBy: 'seed',
      correlationId: 'seed',
      owner: 'seed',
      startedAt: created.toISOString(),
      completedAt: created.toISOString(),
      createdAt: created.toISOString(),
      expiresAt: expiresAt(created).toISOString(),
      state: 'succeeded',
      blobSize: 64,
    };
    // As finishBackup leaves it: a succeeded backup blob carries the catalog's index tags.
    await container.getBlockBlobClient(name).upload('x'.repeat(64), 64, { tags: manifestTags(manifest) });
    await services.catalog.create(manifest);
  });
  await runPool(jobs, options.width ?? 32);
}

export async function runPool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}
