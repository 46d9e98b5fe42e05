/**
 * Reading and writing manifests. apim-dr reads only its own copy, in the state container; the copy next to the
 * backup blob, where APIM's identities can write, is written for people and other tools and never read back.
 */
import { manifestName } from '../../domain/backupName';
import { manifestSchema, manifestTags, type BackupManifest } from '../../domain/manifest';
import { AzureError } from '../../errors';
import { manifestCopy } from '../stateLayout';
import { storageError } from '../storageErrors';
import type { CatalogStores } from './stores';

export interface StoredManifest {
  manifest: BackupManifest;
  etag: string;
}

/** Writes a new manifest only if none exists; returns false when another writer got there first. */
export async function createManifest(stores: CatalogStores, manifest: BackupManifest): Promise<{ created: true; etag: string } | { created: false }> {
  const etag = await stores.state.write(manifestCopy(manifestName(manifest.backupName)), manifest, 'absent', manifestTags(manifest));
  if (etag === false) return { created: false };
  await mirror(stores, manifest);
  return { created: true, etag };
}

/** Replaces a manifest, optionally only if it still has `etag`; keeps the blob's tags in step. */
export async function updateManifest(stores: CatalogStores, manifest: BackupManifest, etag?: string): Promise<string> {
  const name = manifestCopy(manifestName(manifest.backupName));
  const written = await stores.state.write(name, manifest, etag ? { etag } : 'any', manifestTags(manifest));
  if (written === false)
    throw new AzureError(`storage: manifest '${name}' changed while it was being updated; the activity runs again`, 'ConditionNotMet', 412);
  await mirror(stores, manifest);
  return written;
}

/** apim-dr's own copy of the manifest (never the one in the backup container), with the etag that guards an update. */
export async function readManifest(stores: CatalogStores, backupName: string): Promise<StoredManifest | undefined> {
  const stored = await stores.state.read(manifestCopy(manifestName(backupName)), manifestSchema, { what: 'apim-dr manifest', code: 'InvalidManifest' });
  return stored && { manifest: stored.value, etag: stored.etag };
}

/** The copy next to the backup, overwritten whatever is there: a look-alike planted before it is replaced. */
async function mirror(stores: CatalogStores, manifest: BackupManifest): Promise<void> {
  const body = JSON.stringify(manifest, null, 2);
  try {
    await stores.container.getBlockBlobClient(manifestName(manifest.backupName)).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
      tags: manifestTags(manifest),
    });
  } catch (err) {
    throw storageError(err, `write the manifest of '${manifest.backupName}' next to the backup`);
  }
}
