/**
 * One backup's catalog entry, exactly as a listing of its instance would give it, from two reads however long the
 * instance's history: its manifest's index tags (in apim-dr's state container) and its backup blob's properties.
 */
import { manifestName, parseBackupName } from '../../domain/backupName';
import { manifestCopy } from '../stateLayout';
import { storageError, storageStatus } from '../storageErrors';
import { entryOfTags, type CatalogEntry } from './scanCatalog';
import type { CatalogStores } from './stores';

/** Undefined when the backup has no manifest, or one without apim-dr's tags for it (foreign, as a listing would say). */
export async function readCatalogEntry(stores: CatalogStores, backupName: string): Promise<CatalogEntry | undefined> {
  if (!parseBackupName(backupName)) return undefined;
  const manifest = manifestCopy(manifestName(backupName));
  const [tags, blob] = await Promise.all([
    orMissing(async () => (await stores.state.container.getBlockBlobClient(manifest).getTags()).tags, `read the tags of '${manifest}'`),
    orMissing(async () => {
      const properties = await stores.container.getBlockBlobClient(backupName).getProperties();
      return { size: properties.contentLength ?? 0, tier: properties.accessTier };
    }, `read backup blob '${backupName}'`),
  ]);
  const entry = tags && entryOfTags(backupName, tags);
  if (!entry) return undefined;
  if (blob) entry.blob = blob;
  return entry;
}

async function orMissing<T>(read: () => Promise<T>, what: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (storageStatus(err) === 404) return undefined;
    throw storageError(err, what);
  }
}
