/**
 * The backup catalog (docs/design.md §4): manifests with index tags for cheap listing. apim-dr reads only its own copy of each
 * manifest, in the state container; the copy next to the backup blob, where APIM's identities can write, is written
 * for people and other tools and never read back, so a manifest planted there changes nothing.
 */
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { backupNameOfManifest, manifestName, parseBackupName, servicePrefix, type BackupTrigger } from '../domain/backupName';
import { BACKUP_STATES, manifestSchema, manifestTags, type BackupManifest, type BackupState } from '../domain/manifest';
import { AzureError, UserError } from '../errors';
import type { JsonBlobStore } from './jsonBlobStore';
import { MANIFESTS_PREFIX, manifestCopy } from './stateLayout';
import { storageError, storageStatus } from './storageErrors';

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

export interface DeleteOutcome {
  deleted: string[];
  refused: { backupName: string; code: string; message: string }[];
}

/** A blob batch carries at most 256 sub-requests. */
const BATCH_SIZE = 256;

export interface StoredManifest {
  manifest: BackupManifest;
  etag: string;
}

export class BackupCatalog {
  constructor(
    readonly container: ContainerClient,
    private readonly state: JsonBlobStore,
    private readonly service?: BlobServiceClient,
  ) {}

  /** Number of blob service CORS rules (APIM backup needs none), or 'unreadable' without the right to read them. */
  async corsRuleCount(): Promise<number | 'unreadable'> {
    if (!this.service) return 'unreadable';
    try {
      return (await this.service.getProperties()).cors?.length ?? 0;
    } catch {
      return 'unreadable';
    }
  }

  /** Checks the backup and state containers exist and are reachable with the app's identity. */
  async ensureReachable(): Promise<void> {
    await mustExist(this.container, 'backup container', 'storage.container');
    await mustExist(this.state.container, 'state container', 'storage.stateContainer');
  }

  /** Writes a new manifest only if none exists; returns false when another writer got there first. */
  async create(manifest: BackupManifest): Promise<{ created: true; etag: string } | { created: false }> {
    const etag = await this.state.write(manifestCopy(manifestName(manifest.backupName)), manifest, 'absent', manifestTags(manifest));
    if (etag === false) return { created: false };
    await this.mirror(manifest);
    return { created: true, etag };
  }

  /** Replaces a manifest, optionally only if it still has `etag`; keeps the blob's tags in step. */
  async update(manifest: BackupManifest, etag?: string): Promise<string> {
    const name = manifestCopy(manifestName(manifest.backupName));
    const written = await this.state.write(name, manifest, etag ? { etag } : 'any', manifestTags(manifest));
    if (written === false)
      throw new AzureError(`storage: manifest '${name}' changed while it was being updated; the activity runs again`, 'ConditionNotMet', 412);
    await this.mirror(manifest);
    return written;
  }

  /** apim-dr's own copy of the manifest (never the one in the backup container), with the etag that guards an update. */
  async read(backupName: string): Promise<StoredManifest | undefined> {
    const stored = await this.state.read(manifestCopy(manifestName(backupName)), manifestSchema, { what: 'apim-dr manifest', code: 'InvalidManifest' });
    return stored && { manifest: stored.value, etag: stored.etag };
  }

  /** The copy next to the backup, overwritten whatever is there: a look-alike planted before it is replaced. */
  private async mirror(manifest: BackupManifest): Promise<void> {
    const body = JSON.stringify(manifest, null, 2);
    try {
      await this.container.getBlockBlobClient(manifestName(manifest.backupName)).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
        tags: manifestTags(manifest),
      });
    } catch (err) {
      throw storageError(err, `write the manifest of '${manifest.backupName}' next to the backup`);
    }
  }

  /** Size of the backup blob, or undefined when it does not exist. */
  async backupBlobSize(backupName: string): Promise<number | undefined> {
    try {
      const properties = await this.container.getBlockBlobClient(backupName).getProperties();
      return properties.contentLength ?? 0;
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      throw storageError(err, `read backup blob '${backupName}'`);
    }
  }

  async tagBackupBlob(manifest: BackupManifest): Promise<void> {
    try {
      await this.container.getBlockBlobClient(manifest.backupName).setTags(manifestTags(manifest));
    } catch (err) {
      throw storageError(err, `tag backup blob '${manifest.backupName}'`);
    }
  }

  /** Every catalogued backup (one listing call per 5,000 blobs), newest first; foreign ones are left out (see scan). */
  async list(service?: string): Promise<CatalogEntry[]> {
    return (await this.scan(service)).entries;
  }

  /**
   * One listing: apim-dr's entries, newest first, and the names of foreign ones. A manifest-named blob is apim-dr's
   * only when it carries apim-dr's index tags, which apim-dr writes with every manifest: a blob without a manifest,
   * or a look-alike written by another tool (no tags, other tags), is foreign and never reaches the sweep.
   */
  async scan(service?: string): Promise<{ entries: CatalogEntry[]; foreign: string[] }> {
    const prefix = service ? servicePrefix(service) : '';
    const entries = new Map<string, CatalogEntry>();
    for (const { name, tags } of await this.state.list(`${MANIFESTS_PREFIX}${prefix}`, true)) {
      const backupName = backupNameOfManifest(name.slice(MANIFESTS_PREFIX.length));
      const parsed = backupName ? parseBackupName(backupName) : undefined;
      if (!backupName || !parsed || !hasCatalogTags(tags, parsed.service)) continue;
      entries.set(backupName, {
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
      });
    }
    // The backup container gives the blobs' sizes and tiers; a manifest there that apim-dr has no copy of is foreign.
    const foreign: string[] = [];
    const blobs = new Map<string, { size: number; tier?: string }>();
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: prefix || undefined })) {
        if (blob.name.endsWith('.apimbackup')) blobs.set(blob.name, { size: blob.properties.contentLength ?? 0, tier: blob.properties.accessTier });
        else if (parseBackupName(backupNameOfManifest(blob.name) ?? '') && !entries.has(backupNameOfManifest(blob.name)!)) foreign.push(blob.name);
      }
    } catch (err) {
      throw storageError(err, 'list the catalog');
    }
    for (const [name, entry] of entries) entry.blob = blobs.get(name);
    return { entries: [...entries.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), foreign };
  }

  /**
   * Whether a backup is apim-dr's to delete, archive or mark, read from storage right before it is touched: a valid
   * apim-dr manifest, for this storage account and container, describing this very backup; and a backup blob, when
   * there is one, that carries apim-dr's tags. Anything else is foreign (its reason is returned).
   */
  async ownership(backupName: string): Promise<{ owned: true } | { owned: false; reason: string }> {
    let stored: StoredManifest | undefined;
    try {
      stored = await this.read(backupName);
    } catch (err) {
      if (err instanceof AzureError && err.code === 'InvalidManifest') return { owned: false, reason: err.message };
      throw err;
    }
    if (!stored) return { owned: false, reason: 'it has no manifest' };
    const m = stored.manifest;
    if (m.backupName !== backupName) return { owned: false, reason: `its manifest describes '${m.backupName}'` };
    if (m.storageAccount !== this.container.accountName || m.container !== this.container.containerName) {
      return {
        owned: false,
        reason: `its manifest is for ${m.storageAccount}/${m.container}, not ${this.container.accountName}/${this.container.containerName}`,
      };
    }
    if (m.state === 'succeeded' || m.state === 'expired') {
      let tags: Record<string, string>;
      try {
        tags = (await this.container.getBlockBlobClient(backupName).getTags()).tags;
      } catch (err) {
        if (storageStatus(err) === 404) return { owned: true };
        throw storageError(err, `read the tags of '${backupName}'`);
      }
      const service = parseBackupName(backupName)?.service ?? '';
      if (!hasCatalogTags(tags, service)) return { owned: false, reason: 'its backup blob does not carry apim-dr’s index tags' };
    }
    return { owned: true };
  }

  /**
   * Deletes backups and their manifests, in blob batches. A backup blob that storage refuses to delete
   * (immutability policy, legal hold, lease) keeps its manifest, so nothing is orphaned and it is reported.
   */
  async deleteBackups(backupNames: string[]): Promise<DeleteOutcome> {
    const outcome: DeleteOutcome = { deleted: [], refused: [] };
    const gone: string[] = [];
    for (const chunk of chunks(backupNames, BATCH_SIZE)) {
      const results = await this.batchDelete(this.container, chunk);
      chunk.forEach((name, i) => {
        const result = results[i]!;
        if (result.ok || result.status === 404) gone.push(name);
        else outcome.refused.push({ backupName: name, code: result.code, message: result.message });
      });
    }
    for (const chunk of chunks(gone, BATCH_SIZE)) {
      // The copy next to the backup first: apim-dr's own copy goes last, so nothing it still lists is left unowned.
      const mirrors = await this.batchDelete(this.container, chunk.map(manifestName));
      const deleted = chunk.filter((name, i) => {
        const result = mirrors[i]!;
        if (result.ok || result.status === 404) return true;
        outcome.refused.push({ backupName: name, code: result.code, message: `backup deleted, but its manifest was not: ${result.message}` });
        return false;
      });
      const copies = await this.batchDelete(
        this.state.container,
        deleted.map((name) => manifestCopy(manifestName(name))),
      );
      deleted.forEach((name, i) => {
        const result = copies[i]!;
        if (result.ok || result.status === 404) outcome.deleted.push(name);
        else
          outcome.refused.push({
            backupName: name,
            code: result.code,
            message: `backup deleted, but apim-dr's copy of its manifest was not: ${result.message}`,
          });
      });
    }
    return outcome;
  }

  /** Moves a backup blob to the Archive tier and notes it (and its expiry, if due) in the kept manifest. */
  async archiveBackup(backupName: string, now: Date): Promise<void> {
    try {
      await this.container.getBlobClient(backupName).setAccessTier('Archive');
    } catch (err) {
      if (storageStatus(err) !== 404) throw storageError(err, `archive '${backupName}'`);
    }
    await this.amend(backupName, (m) => ({ ...m, archivedAt: now.toISOString(), state: expiredState(m, now) }));
  }

  async markExpired(backupName: string, now: Date): Promise<void> {
    await this.amend(backupName, (m) => ({ ...m, state: expiredState(m, now) }));
  }

  async recordRefusal(backupName: string, refusal: { code: string; message: string }, now: Date): Promise<void> {
    await this.amend(backupName, (m) => ({ ...m, state: expiredState(m, now), deleteRefused: { at: now.toISOString(), ...refusal } }));
  }

  private async amend(backupName: string, change: (m: BackupManifest) => BackupManifest): Promise<void> {
    const stored = await this.read(backupName);
    if (!stored) return;
    const next = change(stored.manifest);
    await this.update(next, stored.etag);
    if (!(await this.backupBlobSize(backupName))) return;
    try {
      await this.tagBackupBlob(next);
    } catch (err) {
      // A held blob (lease, legal hold) may refuse even its tags; the manifest already says what happened.
      if (!(err instanceof AzureError && (err.statusCode === 409 || err.statusCode === 412))) throw err;
    }
  }

  private async batchDelete(container: ContainerClient, names: string[]): Promise<{ ok: boolean; status: number; code: string; message: string }[]> {
    if (names.length === 0) return [];
    try {
      const clients = names.map((n) => container.getBlobClient(n));
      const response = await container.getBlobBatchClient().deleteBlobs(clients);
      // Sub-responses are matched to blobs by URL: their order is the service's, not necessarily ours.
      const byUrl = new Map(response.subResponses.map((r) => [r._request.url, r]));
      return clients.map((client) => {
        const r = byUrl.get(client.url);
        const status = r?.status ?? 500;
        return {
          ok: status >= 200 && status < 300,
          status,
          code: r?.errorCode ?? 'Unknown',
          message: r?.statusMessage ?? 'no response for this blob in the batch',
        };
      });
    } catch (err) {
      throw storageError(err, `delete ${names.length} blob(s)`);
    }
  }
}

async function mustExist(container: ContainerClient, what: string, field: string): Promise<void> {
  let exists: boolean;
  try {
    exists = await container.exists();
  } catch (err) {
    throw storageError(err, `reach container '${container.containerName}'`);
  }
  if (!exists) {
    throw new UserError(
      `${what} '${container.containerName}' (${field}) does not exist in storage account '${container.accountName}': create it (azd up does)`,
      'not-found',
      'ContainerNotFound',
    );
  }
}

/** A success past its expiry is expired; anything else keeps its state. */
export function expiredState(m: Pick<BackupManifest, 'state' | 'expiresAt'>, now: Date): BackupState {
  return m.state === 'succeeded' && now.getTime() >= Date.parse(m.expiresAt) ? 'expired' : m.state;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The index tags apim-dr writes on every manifest (and on a finished backup blob): all present, and consistent. */
function hasCatalogTags(tags: Record<string, string>, service: string): boolean {
  const { createdAt, expiresAt: expires, state, trigger } = tags;
  return (
    tags['service']?.toLowerCase() === service.toLowerCase() &&
    !!createdAt &&
    !Number.isNaN(Date.parse(createdAt)) &&
    !!expires &&
    !Number.isNaN(Date.parse(expires)) &&
    (BACKUP_STATES as readonly string[]).includes(state ?? '') &&
    !!trigger
  );
}
