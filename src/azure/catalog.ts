/** The backup catalog: manifests next to the backup blobs, with index tags for cheap listing (docs/design.md §4). */
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { backupNameOfManifest, manifestName, parseBackupName, servicePrefix, type BackupTrigger } from '../domain/backupName';
import { BACKUP_STATES, manifestSchema, manifestTags, type BackupManifest, type BackupState } from '../domain/manifest';
import { AzureError, UserError } from '../errors';
import { downloadText, parseStored } from './blobText';
import { isWriteConflict, storageError, storageStatus } from './storageErrors';

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

  /** Checks the container exists and is reachable with the app's identity. */
  async ensureReachable(): Promise<void> {
    try {
      const exists = await this.container.exists();
      if (!exists) {
        throw new UserError(
          `backup container '${this.container.containerName}' does not exist in storage account '${this.container.accountName}': create it (azd up does)`,
          'not-found',
          'ContainerNotFound',
        );
      }
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw storageError(err, `reach container '${this.container.containerName}'`);
    }
  }

  /** Writes a new manifest only if none exists; returns false when another writer got there first. */
  async create(manifest: BackupManifest): Promise<{ created: true; etag: string } | { created: false }> {
    const blob = this.container.getBlockBlobClient(manifestName(manifest.backupName));
    const body = JSON.stringify(manifest, null, 2);
    try {
      const response = await blob.upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
        tags: manifestTags(manifest),
      });
      return { created: true, etag: response.etag! };
    } catch (err) {
      if (isWriteConflict(err)) return { created: false };
      throw storageError(err, `create manifest for '${manifest.backupName}'`);
    }
  }

  /** Replaces a manifest, optionally only if it still has `etag`; keeps the blob's tags in step. */
  async update(manifest: BackupManifest, etag?: string): Promise<string> {
    const blob = this.container.getBlockBlobClient(manifestName(manifest.backupName));
    const body = JSON.stringify(manifest, null, 2);
    try {
      const response = await blob.upload(body, Buffer.byteLength(body), {
        conditions: etag ? { ifMatch: etag } : undefined,
        blobHTTPHeaders: { blobContentType: 'application/json' },
        tags: manifestTags(manifest),
      });
      return response.etag!;
    } catch (err) {
      throw storageError(err, `update manifest for '${manifest.backupName}'`);
    }
  }

  async read(backupName: string): Promise<StoredManifest | undefined> {
    const blob = this.container.getBlockBlobClient(manifestName(backupName));
    try {
      const { text, etag } = await downloadText(blob);
      return { manifest: parseStored(blob.name, text, manifestSchema, { what: 'apim-dr manifest', code: 'InvalidManifest' }), etag };
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      if (err instanceof AzureError) throw err;
      throw storageError(err, `read manifest for '${backupName}'`);
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
    const entries = new Map<string, CatalogEntry>();
    const foreign: string[] = [];
    const blobs = new Map<string, { size: number; tier?: string }>();
    try {
      const pages = this.container.listBlobsFlat({ prefix: service ? servicePrefix(service) : undefined, includeTags: true });
      for await (const blob of pages) {
        if (blob.name.endsWith('.apimbackup')) {
          blobs.set(blob.name, { size: blob.properties.contentLength ?? 0, tier: blob.properties.accessTier });
          continue;
        }
        const backupName = backupNameOfManifest(blob.name);
        const parsed = backupName ? parseBackupName(backupName) : undefined;
        if (!backupName || !parsed) continue;
        const tags = blob.tags ?? {};
        if (!hasCatalogTags(tags, parsed.service)) {
          foreign.push(blob.name);
          continue;
        }
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
      const results = await this.batchDelete(chunk);
      chunk.forEach((name, i) => {
        const result = results[i]!;
        if (result.ok || result.status === 404) gone.push(name);
        else outcome.refused.push({ backupName: name, code: result.code, message: result.message });
      });
    }
    for (const chunk of chunks(gone, BATCH_SIZE)) {
      const results = await this.batchDelete(chunk.map(manifestName));
      chunk.forEach((name, i) => {
        const result = results[i]!;
        if (result.ok || result.status === 404) outcome.deleted.push(name);
        else outcome.refused.push({ backupName: name, code: result.code, message: `backup deleted, but its manifest was not: ${result.message}` });
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

  private async batchDelete(names: string[]): Promise<{ ok: boolean; status: number; code: string; message: string }[]> {
    try {
      const clients = names.map((n) => this.container.getBlobClient(n));
      const response = await this.container.getBlobBatchClient().deleteBlobs(clients);
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
