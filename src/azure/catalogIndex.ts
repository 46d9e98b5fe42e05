/**
 * The catalog index: per instance, one blob (stateLayout's `catalogIndexShard`) with the digest of its catalog that
 * the tick and the status read (src/domain/catalogDigest.ts) and its backups' outcomes per day that the dashboard
 * draws (src/domain/dailyOutcomes.ts), so that they read a blob per instance, not a listing of every backup ever kept.
 * The start and finish activities merge each entry they write into that instance's blob (an etag-guarded
 * read-modify-write): backups finishing together on different instances write different blobs and never conflict.
 * The daily sweep, which lists the whole catalog anyway, rebuilds every blob and then the marker saying when; a reader
 * that finds the marker missing, unreadable or older than a day and a bit (a sweep was missed, or a rebuild stopped
 * halfway), or an instance's blob unreadable, rebuilds the index from one listing.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import type { Clock } from '../clock';
import { BACKUP_TRIGGERS, parseBackupName } from '../domain/backupName';
import { digestEntries, mergeDigest, type InstanceDigest } from '../domain/catalogDigest';
import { dailyOutcomesOf, dayOf, daysFrom, recordOutcome, unionOutcomes, type DailyOutcomes } from '../domain/dailyOutcomes';
import { groupBy } from '../domain/groupBy';
import { BACKUP_STATES, type BackupManifest } from '../domain/manifest';
import { recentBackupDurations } from '../domain/rpoPlan';
import { sweepHorizon, widenHorizon, type SweepHorizon } from '../domain/sweepPlan';
import { AzureError } from '../errors';
import { parseStored } from './blobText';
import type { BackupCatalog, CatalogEntry } from './catalog';
import { JsonBlobStore } from './jsonBlobStore';
import { mapAtMost } from './mapAtMost';
import { CATALOG_INDEX_BUILT_BLOB, CATALOG_INDEX_SHARDS_PREFIX, catalogIndexShard } from './stateLayout';
import { isWriteConflict, storageError } from './storageErrors';

export { CATALOG_INDEX_BUILT_BLOB, CATALOG_INDEX_SHARDS_PREFIX, catalogIndexShard } from './stateLayout';

/** The sweep rebuilds it daily; older than this, a sweep was missed and the reader rebuilds it. */
export const INDEX_STALE_AFTER_MS = 26 * 3_600_000;

/** Days of outcomes kept per instance: the dashboard's 35 and some slack. */
export const OUTCOME_DAYS_KEPT = 40;

/** Conditional writes lost to other writers before giving up (each retry reads the winner's version). */
const WRITE_ATTEMPTS = 20;

/** Blobs read or written at once (instances' blobs, manifests for failure reasons): bounded, as storage throttles bursts. */
const REQUESTS_AT_ONCE = 32;

/**
 * Before retrying a lost write: a random wait growing with the attempts, so that writers of one instance's blob (its
 * backup's finish and a rebuild, say) spread their writes out instead of colliding again.
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

const count = z.number().int().nonnegative();

/** One instance's blob. */
const shardSchema = z.object({
  schemaVersion: z.literal(2),
  /** Instance name, lower case. */
  service: z.string(),
  entries: z.array(entrySchema),
  durations: z.array(z.object({ backupName: z.string(), ms: z.number() })),
  days: z.record(z.string(), z.object({ succeeded: count, failed: count, newestSuccessAt: z.string().optional() })),
  /**
   * The earliest creation and expiry among the instance's entries the sweep may still act on (domain/sweepPlan.ts),
   * null when none, absent when unknown: set from a listing (the daily rebuild, a sweep after a backup that listed),
   * only ever moved earlier by the backups recorded since. Deletions leave it early until the next listing: a hint
   * that errs towards listing.
   */
  sweepHorizon: z.object({ createdAt: z.string(), expiresAt: z.string() }).nullable().optional(),
});

const builtSchema = z.object({ schemaVersion: z.literal(2), builtAt: z.string() });

export type IndexShard = z.output<typeof shardSchema>;

export interface CatalogIndexView {
  builtAt: string;
  /** Every instance's kept entries, newest first: a sufficient subset of the catalog for the tick and the status. */
  entries: CatalogEntry[];
  /** Instance name (lower case) → its recent successes' durations, newest first. */
  durations: Map<string, number[]>;
  /** Instance name (lower case) → its backups' outcomes per UTC day, the last OUTCOME_DAYS_KEPT days. */
  days: Map<string, DailyOutcomes>;
}

type Stored<T> = { value?: T; etag: string } | undefined;

export class CatalogIndex {
  /**
   * The instances' blobs this worker last read or wrote, by name, with their etags. The listing gives every blob's
   * current etag, so a view downloads only the blobs that changed since (an instance whose backup started or
   * finished): a warm worker's tick costs the marker and the listing, not a read per instance. Same etag, same bytes.
   */
  private readonly seen = new Map<string, { etag: string; shard: IndexShard }>();

  constructor(
    private readonly container: ContainerClient,
    private readonly catalog: BackupCatalog,
    private readonly clock: Clock,
  ) {}

  /** Every instance's blob (one listing, then bounded parallel reads); rebuilt first when missing, unreadable or stale. */
  async view(): Promise<CatalogIndexView> {
    const built = (await this.read(CATALOG_INDEX_BUILT_BLOB, builtSchema))?.value;
    if (!built || this.clock.now().getTime() - Date.parse(built.builtAt) >= INDEX_STALE_AFTER_MS) return this.rebuild();
    const listed = await this.listShards();
    for (const name of this.seen.keys()) if (!listed.has(name)) this.seen.delete(name);
    const shards = await mapAtMost([...listed], REQUESTS_AT_ONCE, async ([name, etag]) => {
      const known = this.seen.get(name);
      if (known && sameEtag(known.etag, etag)) return known;
      const stored = await this.read(name, shardSchema);
      if (stored?.value) this.seen.set(name, { etag: stored.etag, shard: stored.value });
      return stored && { etag: stored.etag, shard: stored.value };
    });
    if (shards.some((s) => s && !s.shard)) return this.rebuild();
    return toView(
      built.builtAt,
      shards.flatMap((s) => (s?.shard ? [s.shard] : [])),
    );
  }

  /** Rebuilds every instance's blob from a listing of the whole catalog (the caller's, or one made now), then the marker. */
  async rebuild(listing?: readonly CatalogEntry[]): Promise<CatalogIndexView> {
    const builtAt = this.clock.now().toISOString();
    const entries = listing ?? (await this.catalog.list());
    const firstDay = this.firstDayKept();
    const fresh: IndexShard[] = [];
    for (const [service, mine] of groupBy(entries, (e) => e.service.toLowerCase())) {
      const kept = mine.map(withoutBlob);
      fresh.push({
        schemaVersion: 2,
        service,
        ...digestEntries(kept),
        days: daysFrom(dailyOutcomesOf(kept), firstDay),
        sweepHorizon: sweepHorizon(kept),
      });
    }
    await this.addFailureReasons(fresh);
    const existing = await this.listShards();
    const written = await mapAtMost(fresh, REQUESTS_AT_ONCE, (shard) => this.replace(shard, existing.get(catalogIndexShard(shard.service))));
    // Instances no longer in the catalog lose their blob, unless a backup was recorded there since the listing.
    const gone = new Set(fresh.map((s) => catalogIndexShard(s.service)));
    await mapAtMost(
      [...existing].filter(([name]) => !gone.has(name)),
      REQUESTS_AT_ONCE,
      ([name, etag]) => this.removeUnchanged(name, etag),
    );
    await this.write(CATALOG_INDEX_BUILT_BLOB, { schemaVersion: 2, builtAt }, 'any');
    return toView(builtAt, written);
  }

  /** Merges the entry a manifest now makes (created, settled or changed) into its instance's blob, and counts its outcome. */
  async record(manifest: BackupManifest): Promise<void> {
    const entry = entryOfManifest(manifest);
    await this.update(
      entry.service,
      (shard) => {
        recordOutcome(
          shard.days,
          shard.entries.find((e) => e.backupName === entry.backupName),
          entry,
        );
        Object.assign(shard, mergeDigest(shard, entry));
        // Unknown stays unknown (a blob created here knows nothing of the instance's older entries).
        if (shard.sweepHorizon !== undefined) shard.sweepHorizon = widenHorizon(shard.sweepHorizon, entry);
      },
      { create: true },
    );
  }

  /**
   * One instance's blob when the index is current (its marker younger than INDEX_STALE_AFTER_MS) and the blob readable;
   * undefined otherwise. Two reads, however long the instance's history. A hint: whoever acts on what it names
   * checks that in the catalog first.
   */
  async instance(service: string): Promise<IndexShard | undefined> {
    const [built, stored] = await Promise.all([this.read(CATALOG_INDEX_BUILT_BLOB, builtSchema), this.read(catalogIndexShard(service), shardSchema)]);
    if (!built?.value || this.clock.now().getTime() - Date.parse(built.value.builtAt) >= INDEX_STALE_AFTER_MS) return undefined;
    return stored?.value;
  }

  /** Sets an instance's sweep horizon from a listing of its catalog made just now (and the backups recorded since). */
  async recordSweepHorizon(service: string, listed: SweepHorizon | null): Promise<void> {
    await this.update(service, (shard) => {
      shard.sweepHorizon = shard.entries.reduce(widenHorizon, listed);
    });
  }

  /**
   * Applies `change` to one instance's blob (etag-guarded, retried when another writer got there first). Without a
   * blob, nothing is changed, unless `create` and the index exists (the instance's first backup since the last
   * rebuild); without an index, the next reader builds one.
   */
  async update(service: string, change: (shard: IndexShard) => void, options: { create?: boolean } = {}): Promise<void> {
    const name = catalogIndexShard(service);
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      const stored = await this.read(name, shardSchema);
      // Unreadable: the next reader rebuilds it.
      if (stored && !stored.value) return;
      if (!stored && !(options.create && (await this.read(CATALOG_INDEX_BUILT_BLOB, builtSchema))?.value)) return;
      const shard = stored?.value ?? { schemaVersion: 2 as const, service: service.toLowerCase(), entries: [], durations: [], days: {} };
      change(shard);
      shard.days = daysFrom(shard.days, this.firstDayKept());
      const etag = await this.write(name, shard, stored ? { etag: stored.etag } : 'absent');
      if (etag) return this.remember(name, etag, shard);
      await backoff(attempt);
    }
    throw new AzureError(`storage: '${name}' kept changing while it was updated`, 'IndexWriteConflict');
  }

  /** Writes a rebuilt blob over `etag`; when someone recorded a backup since the listing, theirs goes in too. */
  private async replace(shard: IndexShard, etag: string | undefined): Promise<IndexShard> {
    const name = catalogIndexShard(shard.service);
    let ours = shard;
    for (let attempt = 1; ; attempt++) {
      const written = await this.write(name, ours, etag ? { etag } : 'absent');
      if (written) {
        this.remember(name, written, ours);
        return ours;
      }
      if (attempt >= WRITE_ATTEMPTS) throw new AzureError(`storage: '${name}' kept changing while it was rebuilt`, 'IndexWriteConflict');
      await backoff(attempt);
      const winner = await this.read(name, shardSchema);
      etag = winner?.etag;
      if (winner?.value) ours = unionShards(ours, winner.value);
    }
  }

  private remember(name: string, etag: string, shard: IndexShard): void {
    this.seen.set(name, { etag, shard });
  }

  private async removeUnchanged(name: string, etag: string): Promise<void> {
    try {
      await this.container.getBlockBlobClient(name).deleteIfExists({ conditions: { ifMatch: etag } });
    } catch (err) {
      if (!isWriteConflict(err)) throw storageError(err, `delete '${name}'`);
    }
  }

  /** The status shows each instance's newest failure with its reason: read once per rebuild, not on every status call. */
  private async addFailureReasons(shards: IndexShard[]): Promise<void> {
    const failures = shards.flatMap((d) => d.entries.filter((e) => e.state === 'failed' && !e.error).slice(0, 1));
    await mapAtMost(failures, REQUESTS_AT_ONCE, async (entry) => {
      const error = (await this.catalog.read(entry.backupName).catch(() => undefined))?.manifest.error;
      if (error) entry.error = { code: error.code, message: error.message };
    });
  }

  private firstDayKept(): string {
    return dayOf(new Date(this.clock.now().getTime() - (OUTCOME_DAYS_KEPT - 1) * 86_400_000).toISOString());
  }

  /** Every instance's blob name → its etag: one listing per 5,000 instances. */
  private async listShards(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: CATALOG_INDEX_SHARDS_PREFIX })) found.set(blob.name, blob.properties.etag);
    } catch (err) {
      throw storageError(err, `list '${CATALOG_INDEX_SHARDS_PREFIX}'`);
    }
    return found;
  }

  /** A stored blob and its etag; without `value` when it is not what apim-dr writes there (it is rebuilt over), undefined when missing. */
  private async read<T extends z.ZodType>(name: string, schema: T): Promise<Stored<z.output<T>>> {
    const stored = await new JsonBlobStore(this.container).readText(name);
    if (!stored) return undefined;
    try {
      return { value: parseStored(name, stored.text, schema, { what: 'apim-dr catalog index', code: 'InvalidStateBlob' }), etag: stored.etag };
    } catch {
      return { etag: stored.etag };
    }
  }

  /** The new etag; false when the blob changed since `etag` (or exists, when it should be `absent`). Compact JSON: read on every tick. */
  private async write(name: string, value: unknown, condition: { etag: string } | 'absent' | 'any'): Promise<string | false> {
    const body = JSON.stringify(value);
    try {
      const written = await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        conditions: condition === 'any' ? undefined : condition === 'absent' ? { ifNoneMatch: '*' } : { ifMatch: condition.etag },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return written.etag!;
    } catch (err) {
      if (condition !== 'any' && isWriteConflict(err)) return false;
      throw storageError(err, `write '${name}'`);
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

/** A listing spells an etag with or without the quotes a download's header has. */
function sameEtag(a: string, b: string): boolean {
  return a.replace(/"/g, '') === b.replace(/"/g, '');
}

function toView(builtAt: string, shards: readonly IndexShard[]): CatalogIndexView {
  const entries = shards.flatMap((s) => s.entries);
  entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return {
    builtAt,
    entries,
    durations: new Map(shards.map((s) => [s.service, s.durations.map((x) => x.ms)])),
    days: new Map(shards.map((s) => [s.service, s.days])),
  };
}

/** Both versions of one instance's blob: every entry, a settled one winning over the same backup still running. */
function unionShards(ours: IndexShard, theirs: IndexShard): IndexShard {
  const merged = theirs.entries.reduce<InstanceDigest<CatalogEntry>>(
    (digest, entry) => {
      const mine = digest.entries.find((e) => e.backupName === entry.backupName);
      return mine && mine.state !== 'running' && entry.state === 'running' ? digest : mergeDigest(digest, entry);
    },
    { entries: ours.entries, durations: ours.durations },
  );
  return {
    ...ours,
    ...digestEntries(merged.entries, [...ours.durations, ...theirs.durations]),
    days: unionOutcomes(ours.days, theirs.days),
    // Ours is from the listing; theirs may hold backups recorded since.
    sweepHorizon: ours.sweepHorizon === undefined ? undefined : theirs.entries.reduce(widenHorizon, ours.sweepHorizon),
  };
}
