/**
 * The whole-catalog index blob of earlier versions (`state/catalog-index.json`, one blob for every instance), replaced
 * by one blob per instance and ignored since. The daily sweep removes it, once, and only when its content has the
 * shape apim-dr wrote there (schema version 1, a build time and entries per instance); anything else is left alone.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { JsonBlobStore } from './jsonBlobStore';
import { LEGACY_CATALOG_INDEX_BLOB } from './stateLayout';
import { isWriteConflict, storageError } from './storageErrors';

const legacyIndexSchema = z.object({
  schemaVersion: z.literal(1),
  builtAt: z.iso.datetime(),
  services: z.record(z.string(), z.object({ entries: z.array(z.object({ backupName: z.string() }).loose()), durations: z.array(z.unknown()) })),
});

export type LegacyIndexOutcome = 'absent' | 'removed' | 'foreign';

export async function removeLegacyCatalogIndex(container: ContainerClient): Promise<LegacyIndexOutcome> {
  const stored = await new JsonBlobStore(container).readText(LEGACY_CATALOG_INDEX_BLOB);
  if (!stored) return 'absent';
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.text);
  } catch {
    return 'foreign';
  }
  if (!legacyIndexSchema.safeParse(parsed).success) return 'foreign';
  try {
    // Only the version just judged: a blob written there since is judged again at the next sweep.
    await container.getBlockBlobClient(LEGACY_CATALOG_INDEX_BLOB).deleteIfExists({ conditions: { ifMatch: stored.etag } });
  } catch (err) {
    if (isWriteConflict(err)) return 'foreign';
    throw storageError(err, `delete '${LEGACY_CATALOG_INDEX_BLOB}'`);
  }
  return 'removed';
}
