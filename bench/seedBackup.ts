/**
 * Benchmarks' seeding: a catalogued backup written straight to Azurite: its manifest and blob in the backup container,
 * with apim-dr's index tags, and apim-dr's own copy of the manifest in the state container (the one it lists and reads).
 */
import type { ContainerClient } from '@azure/storage-blob';
import { backupName, formatBackupTime, manifestName } from '../src/domain/backupName';
import { expiresAt } from '../src/domain/expiry';
import { manifestTags, type BackupManifest } from '../src/domain/manifest';
import { manifestCopy } from '../src/azure/stateLayout';

export interface SeededBackup {
  storage: { account: string; container: string };
  service: { id: string; name: string };
  createdAt: Date;
  durationMs: number;
  failed: boolean;
  blobSize: number;
}

/** Writes the manifest and, for a success, a backup blob of `blobSize` bytes; returns the backup's name. */
export async function seedBackup(container: ContainerClient, state: ContainerClient, seed: SeededBackup): Promise<string> {
  const created = seed.createdAt;
  const name = backupName(seed.service.name, created, 'scheduled');
  const manifest: BackupManifest = {
    schemaVersion: 1,
    backupName: name,
    storageAccount: seed.storage.account,
    container: seed.storage.container,
    serviceId: seed.service.id,
    trigger: 'scheduled',
    requestedBy: 'schedule',
    correlationId: `seed-${formatBackupTime(created)}`,
    owner: `seed@${created.toISOString()}`,
    startedAt: created.toISOString(),
    createdAt: created.toISOString(),
    expiresAt: expiresAt(created).toISOString(),
    completedAt: new Date(created.getTime() + seed.durationMs).toISOString(),
    ...(seed.failed
      ? { state: 'failed' as const, error: { code: 'BackupFailed', message: 'the storage account refused the write (seeded failure)' } }
      : { state: 'succeeded' as const, blobSize: seed.blobSize }),
  };
  const body = JSON.stringify(manifest, null, 2);
  await container.getBlockBlobClient(manifestName(name)).upload(body, Buffer.byteLength(body), { tags: manifestTags(manifest) });
  await state.getBlockBlobClient(manifestCopy(manifestName(name))).upload(body, Buffer.byteLength(body), { tags: manifestTags(manifest) });
  if (manifest.state === 'succeeded')
    await container.getBlockBlobClient(name).upload('x'.repeat(seed.blobSize), seed.blobSize, { tags: manifestTags(manifest) });
  return name;
}
