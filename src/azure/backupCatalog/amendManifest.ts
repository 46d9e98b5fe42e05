/** The sweep's marks on a kept backup: archived, expired, a delete storage refused; in the manifest and the blob's tags. */
import type { BackupManifest, BackupState } from '../../domain/manifest';
import { AzureError } from '../../errors';
import { storageError, storageStatus } from '../storageErrors';
import { backupBlobSize, tagBackupBlob } from './backupBlobs';
import { readManifest, updateManifest } from './manifests';
import type { CatalogStores } from './stores';

/** A success past its expiry is expired; anything else keeps its state. */
export function expiredState(m: Pick<BackupManifest, 'state' | 'expiresAt'>, now: Date): BackupState {
  return m.state === 'succeeded' && now.getTime() >= Date.parse(m.expiresAt) ? 'expired' : m.state;
}

/** Moves a backup blob to the Archive tier and notes it (and its expiry, if due) in the kept manifest. */
export async function archiveBackup(stores: CatalogStores, backupName: string, now: Date): Promise<void> {
  try {
    await stores.container.getBlobClient(backupName).setAccessTier('Archive');
  } catch (err) {
    if (storageStatus(err) !== 404) throw storageError(err, `archive '${backupName}'`);
  }
  await amendManifest(stores, backupName, (m) => ({ ...m, archivedAt: now.toISOString(), state: expiredState(m, now) }));
}

export async function amendManifest(stores: CatalogStores, backupName: string, change: (m: BackupManifest) => BackupManifest): Promise<void> {
  const stored = await readManifest(stores, backupName);
  if (!stored) return;
  const next = change(stored.manifest);
  await updateManifest(stores, next, stored.etag);
  if (!(await backupBlobSize(stores.container, backupName))) return;
  try {
    await tagBackupBlob(stores.container, next);
  } catch (err) {
    // A held blob (lease, legal hold) may refuse even its tags; the manifest already says what happened.
    if (!(err instanceof AzureError && (err.statusCode === 409 || err.statusCode === 412))) throw err;
  }
}
