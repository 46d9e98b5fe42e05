/**
 * The catalog index (`state/catalog-index.json`): per instance, the digest of its catalog the tick and the status
 * read (src/domain/catalogDigest.ts), so that they read one blob, not a listing of every backup ever kept. The start
 * and finish activities merge each entry they write (an etag-guarded read-modify-write); the daily sweep, which lists
 * the whole catalog anyway, rebuilds it; a reader that finds it missing, unreadable or older than a day and a bit
 * (a sweep was missed) rebuilds it from one listing.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import type { Clock } from '../clock';
import { BACKUP_TRIGGERS, parseBackupName } from '../domain/backupName';
import { digestEntries, mergeDigest, type InstanceDigest } from '../domain/catalogDigest';
import { BACKUP_STATES, type BackupManifest } from '../domain/manifest';
import { recentBackupDurations } from '../domain/rpoPlan';
import { AzureError } from '../errors';
import { downloadText, parseStored } from './blobText';
import type { BackupCatalog, CatalogEntry } from './catalog';
import { groupBy } from '../domain/groupBy';
import { isWriteConflict, storageError, storageStatus } from './storageErrors';

export { CATALOG_INDEX_BLOB } from './stateLayout';
import { CATALOG_INDEX_BLOB } from './stateLayout';

/** The sweep rebuilds it daily; older than this, a sweep was missed and the reader rebuilds it. */
export const INDEX_STALE_AFTER_MS = 26 * 3_600_000;

/** Conditional writes lost to other writers before giving up (each retry reads the winner's version). */
const WRITE_ATTEMPTS = 20;

/** Manifests read at once for the failure reasons when the index is rebuilt. */
const FAILURE_READS_AT_ONCE = 32;

/**
 * Before retrying a lost write: a random wait growing with the attempts, so that the backups of a fleet finishing
 * together (hundreds at the top of the hour) spread their writes out instead of colliding again.
 */
function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1_000, 25 * 2 ** attempt)));
}

const entrySchema = z.object({
  backupName: z.string(),
  service: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  state: z.enum(BACKUP_STATES),
  trigger: z.enum(BACKUP_TRIGGERS),
  archivedAt: z.string().optional(),
  refusedAt: z.string().optional(),
  platform: z.string().optional(),
  completedAt: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const indexSchema = z.object({
  schemaVersion: z.literal(1),
  builtAt: z.string(),
  /** Instance name (lower case) → its digest. */
  services: z.record(z.string(), z.object({ entries: z.array(entrySchema), durations: z.array(z.object({ backupName: z.string(), ms: z.number() })) })),
});

type StoredIndex = z.output<typeof indexSchema>;
type Digests = StoredIndex['services'];

export interface CatalogIndexView {
  builtAt: string;
  /** Every instance's kept entries, newest first: a sufficient subset of the catalog for the tick and the status. */
  entries: CatalogEntry[];
  /** Instance name (lower case) → its recent successes' durations, newest first. */
  durations: Map<string, number[]>;
}

export class CatalogIndex {
  constructor(
    private readonly container: ContainerClient,
    private readonly catalog: BackupCatalog,
    private readonly clock: Clock,
  ) {}

  /** The index, rebuilt first when it is missing, unreadable or stale. */
  async view(): Promise<CatalogIndexView> {
    const stored = await this.read();
    if (stored?.index && this.clock.now().getTime() - Date.parse(stored.index.builtAt) < INDEX_STALE_AFTER_MS) return toView(stored.index);
    return this.rebuild();
  }

  /** Rebuilds it from a listing of the whole catalog (the caller's, or one made now). */
  async rebuild(listing?: readonly CatalogEntry[]): Promise<CatalogIndexView> {
    const before = await this.read();
    const builtAt = this.clock.now().toISOString();
    const entries = listing ?? (await this.catalog.list());
    const services: Digests = {};
    for (const [key, mine] of groupBy(entries, (e) => e.service.toLowerCase())) services[key] = digestEntries(mine.map(withoutBlob));
    await this.addFailureReasons(services);
    let index: StoredIndex = { schemaVersion: 1, builtAt, services };
    let etag = before?.etag;
    for (let attempt = 1; ; attempt++) {
      const written = await this.write(index, etag);
      if (written) return toView(index);
      if (attempt >= WRITE_ATTEMPTS) throw new AzureError(`storage: '${CATALOG_INDEX_BLOB}' kept changing while it was rebuilt`, 'IndexWriteConflict');
      await backoff(attempt);
      // Someone merged an entry since our listing: theirs is at least as new as ours, so it goes in too.
      const winner = await this.read();
      etag = winner?.etag;
      if (winner?.index) index = { ...index, services: unionDigests(index.services, winner.index.services) };
    }
  }

  /** The status shows each instance's newest failure with its reason: read once per rebuild, not on every status call. */
  private async addFailureReasons(services: Digests): Promise<void> {
    const failures = Object.values(services).flatMap((d) => d.entries.filter((e) => e.state === 'failed' && !e.error).slice(0, 1));
    for (let i = 0; i < failures.length; i += FAILURE_READS_AT_ONCE) {
      await Promise.all(
        failures.slice(i, i + FAILURE_READS_AT_ONCE).map(async (entry) => {
          const error = (await this.catalog.read(entry.backupName).catch(() => undefined))?.manifest.error;
          if (error) entry.error = { code: error.code, message: error.message };
        }),
      );
    }
  }

  /** Merges the entry a manifest now makes (created, settled or changed). Without an index, the next reader builds one. */
  async record(manifest: BackupManifest): Promise<void> {
    const entry = entryOfManifest(manifest);
    await this.update((services) => {
      const key = entry.service.toLowerCase();
      services[key] = mergeDigest(services[key], entry);
    });
  }

  /** Applies `change` to the stored digests (etag-guarded, retried when another writer got there first). */
  async update(change: (services: Digests) => void): Promise<void> {
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const stored = await this.read();
      if (!stored?.index) return;
      change(stored.index.services);
      if (await this.write(stored.index, stored.etag)) return;
      await backoff(attempt);
    }
    throw new AzureError(`storage: '${CATALOG_INDEX_BLOB}' kept changing while it was updated`, 'IndexWriteConflict');
  }

  /** The stored index and its etag; without `index` when it is not one (it is rebuilt over), undefined when missing. */
  private async read(): Promise<{ index?: StoredIndex; etag: string } | undefined> {
    let stored: { text: string; etag: string };
    try {
      stored = await downloadText(this.container.getBlockBlobClient(CATALOG_INDEX_BLOB));
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      throw storageError(err, `read '${CATALOG_INDEX_BLOB}'`);
    }
    try {
      const index = parseStored(CATALOG_INDEX_BLOB, stored.text, indexSchema, { what: 'apim-dr catalog index', code: 'InvalidStateBlob' });
      return { index, etag: stored.etag };
    } catch {
      return { etag: stored.etag };
    }
  }

  /** False when the blob changed since `etag` (or exists, without one). */
  private async write(index: StoredIndex, etag: string | undefined): Promise<boolean> {
    const body = JSON.stringify(index);
    try {
      await this.container.getBlockBlobClient(CATALOG_INDEX_BLOB).upload(body, Buffer.byteLength(body), {
        conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return true;
    } catch (err) {
      if (isWriteConflict(err)) return false;
      throw storageError(err, `write '${CATALOG_INDEX_BLOB}'`);
    }
  }
}

/** The catalog entry a manifest makes, as its index tags describe it (see manifestTags). */
export function entryOfManifest(m: BackupManifest): CatalogEntry {
  return withoutBlob({
    backupName: m.backupName,
    service: parseBackupName(m.backupName)?.service ?? m.service?.name ?? m.backupName,
    createdAt: m.createdAt,
    expiresAt: m.expiresAt,
    state: m.state,
    trigger: m.trigger,
    ...(m.archivedAt ? { archivedAt: m.archivedAt } : {}),
    ...(m.deleteRefused ? { refusedAt: m.deleteRefused.at } : {}),
    ...(m.service ? { platform: m.service.platformVersion } : {}),
    ...(m.completedAt ? { completedAt: m.completedAt } : {}),
    ...(m.state === 'failed' && m.error ? { error: { code: m.error.code, message: m.error.message } } : {}),
  });
}

/** The same view from a full listing (newest first), for a caller that lists the catalog anyway. */
export function viewOfListing(entries: CatalogEntry[]): Pick<CatalogIndexView, 'entries' | 'durations'> {
  const durations = new Map<string, number[]>();
  for (const [key, mine] of groupBy(entries, (e) => e.service.toLowerCase())) durations.set(key, recentBackupDurations(mine));
  return { entries, durations };
}

function withoutBlob(entry: CatalogEntry): CatalogEntry {
  const { blob: _blob, ...rest } = entry;
  return rest;
}

function toView(index: StoredIndex): CatalogIndexView {
  const entries = Object.values(index.services).flatMap((d) => d.entries);
  entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    builtAt: index.builtAt,
    entries,
    durations: new Map(Object.entries(index.services).map(([key, d]) => [key, d.durations.map((x) => x.ms)])),
  };
}

/** Both sides' entries, a settled one winning over the same backup still running. */
function unionDigests(ours: Digests, theirs: Digests): Digests {
  const out: Digests = { ...ours };
  for (const [key, their] of Object.entries(theirs)) {
    const merged = their.entries.reduce<InstanceDigest<CatalogEntry>>(
      (digest, entry) => {
        const mine = digest.entries.find((e) => e.backupName === entry.backupName);
        return mine && mine.state !== 'running' && entry.state === 'running' ? digest : mergeDigest(digest, entry);
      },
      ours[key] ?? { entries: [], durations: [] },
    );
    out[key] = digestEntries(merged.entries, [...(ours[key]?.durations ?? []), ...their.durations]);
  }
  return out;
}
