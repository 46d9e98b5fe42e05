/** Listing the catalog: one listing of manifests (by their tags) and one of backup blobs (sizes, tiers, foreign manifests). */
import { backupNameOfManifest, parseBackupName, servicePrefix, type BackupTrigger } from '../../domain/backupName';
import type { BackupState } from '../../domain/manifest';
import { MANIFESTS_PREFIX } from '../stateLayout';
import { storageError } from '../storageErrors';
import { hasCatalogTags } from './catalogTags';
import type { CatalogStores } from './stores';

export interface CatalogEntry {
  backupName: string;
  service: string;
  createdAt: string;
  expiresAt: string;
  state: BackupState;
  trigger: BackupTrigger;
  archivedAt?: string;
  refusedAt?: string;
  /** The instance's platform when the backup was taken (absent on entries written before it was tagged). */
  platform?: string;
  /** When it settled (absent while running, and on entries written before it was tagged). */
  completedAt?: string;
  /** The backup blob itself, when the listing saw it. */
  blob?: { size: number; tier?: string };
  /** Why it failed: the catalog index keeps it for an instance's newest failure (a listing does not carry it). */
  error?: { code: string; message: string };
}

/**
 * apim-dr's entries, newest first, and the names of foreign ones. A manifest-named blob is apim-dr's only when it
 * carries apim-dr's index tags, which apim-dr writes with every manifest: a blob without a manifest, or a look-alike
 * written by another tool (no tags, other tags), is foreign and never reaches the sweep.
 */
export async function scanCatalog(stores: CatalogStores, service?: string): Promise<{ entries: CatalogEntry[]; foreign: string[] }> {
  const prefix = service ? servicePrefix(service) : '';
  const entries = new Map<string, CatalogEntry>();
  for (const { name, tags } of await stores.state.list(`${MANIFESTS_PREFIX}${prefix}`, true)) {
    const backupName = backupNameOfManifest(name.slice(MANIFESTS_PREFIX.length));
    const entry = backupName ? entryOfTags(backupName, tags) : undefined;
    if (entry) entries.set(entry.backupName, entry);
  }
  // The backup container gives the blobs' sizes and tiers; a manifest there that apim-dr has no copy of is foreign.
  const foreign: string[] = [];
  const blobs = new Map<string, { size: number; tier?: string }>();
  try {
    for await (const blob of stores.container.listBlobsFlat({ prefix: prefix || undefined })) {
      if (blob.name.endsWith('.apimbackup')) blobs.set(blob.name, { size: blob.properties.contentLength ?? 0, tier: blob.properties.accessTier });
      else if (parseBackupName(backupNameOfManifest(blob.name) ?? '') && !entries.has(backupNameOfManifest(blob.name)!)) foreign.push(blob.name);
    }
  } catch (err) {
    throw storageError(err, 'list the catalog');
  }
  for (const [name, entry] of entries) entry.blob = blobs.get(name);
  return { entries: [...entries.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), foreign };
}

/** The entry a manifest's index tags make, or undefined when they are not apim-dr's for that backup (it is foreign). */
export function entryOfTags(backupName: string, tags: Record<string, string>): CatalogEntry | undefined {
  const parsed = parseBackupName(backupName);
  if (!parsed || !hasCatalogTags(tags, parsed.service)) return undefined;
  return {
    backupName,
    service: parsed.service,
    createdAt: tags['createdAt']!,
    expiresAt: tags['expiresAt']!,
    state: tags['state'] as BackupState,
    trigger: parsed.trigger,
    archivedAt: tags['archivedAt'],
    refusedAt: tags['refusedAt'],
    ...(tags['platform'] ? { platform: tags['platform'] } : {}),
    ...(tags['completedAt'] ? { completedAt: tags['completedAt'] } : {}),
  };
}
