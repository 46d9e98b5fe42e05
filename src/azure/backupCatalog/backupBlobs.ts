/** The backup blobs themselves: their size, and the index tags a finished one carries. */
import type { ContainerClient } from '@azure/storage-blob';
import { manifestTags, type BackupManifest } from '../../domain/manifest';
import { storageError, storageStatus } from '../storageErrors';

/** Size of the backup blob, or undefined when it does not exist. */
export async function backupBlobSize(container: ContainerClient, backupName: string): Promise<number | undefined> {
  try {
    const properties = await container.getBlockBlobClient(backupName).getProperties();
    return properties.contentLength ?? 0;
  } catch (err) {
    if (storageStatus(err) === 404) return undefined;
    throw storageError(err, `read backup blob '${backupName}'`);
  }
}

export async function tagBackupBlob(container: ContainerClient, manifest: BackupManifest): Promise<void> {
  try {
    await container.getBlockBlobClient(manifest.backupName).setTags(manifestTags(manifest));
  } catch (err) {
    throw storageError(err, `tag backup blob '${manifest.backupName}'`);
  }
}
