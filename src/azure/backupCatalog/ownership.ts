/** Whether a backup is apim-dr's to delete, archive or mark, read from storage right before it is touched. */
import { parseBackupName } from '../../domain/backupName';
import { AzureError } from '../../errors';
import { storageError, storageStatus } from '../storageErrors';
import { hasCatalogTags } from './catalogTags';
import { readManifest, type StoredManifest } from './manifests';
import type { CatalogStores } from './stores';

/**
 * A valid apim-dr manifest, for this storage account and container, describing this very backup; and a backup
 * blob, when there is one, that carries apim-dr's tags. Anything else is foreign (its reason is returned).
 */
export async function ownership(stores: CatalogStores, backupName: string): Promise<{ owned: true } | { owned: false; reason: string }> {
  const { container } = stores;
  let stored: StoredManifest | undefined;
  try {
    stored = await readManifest(stores, backupName);
  } catch (err) {
    if (err instanceof AzureError && err.code === 'InvalidManifest') return { owned: false, reason: err.message };
    throw err;
  }
  if (!stored) return { owned: false, reason: 'it has no manifest' };
  const m = stored.manifest;
  if (m.backupName !== backupName) return { owned: false, reason: `its manifest describes '${m.backupName}'` };
  if (m.storageAccount !== container.accountName || m.container !== container.containerName) {
    return {
      owned: false,
      reason: `its manifest is for ${m.storageAccount}/${m.container}, not ${container.accountName}/${container.containerName}`,
    };
  }
  if (m.state === 'succeeded' || m.state === 'expired') {
    let tags: Record<string, string>;
    try {
      tags = (await container.getBlockBlobClient(backupName).getTags()).tags;
    } catch (err) {
      if (storageStatus(err) === 404) return { owned: true };
      throw storageError(err, `read the tags of '${backupName}'`);
    }
    const service = parseBackupName(backupName)?.service ?? '';
    if (!hasCatalogTags(tags, service)) return { owned: false, reason: 'its backup blob does not carry apim-dr’s index tags' };
  }
  return { owned: true };
}
