/** The backup catalog: manifests next to the backup blobs, with index tags for cheap listing (§4). */
import { RestError, type ContainerClient } from '@azure/storage-blob';
import { backupNameOfManifest, manifestName, parseBackupName, servicePrefix, type BackupTrigger } from '../domain/backupName';
import { manifestSchema, manifestTags, type BackupManifest, type BackupState } from '../domain/manifest';
import { AzureError, UserError } from '../errors';

export interface CatalogEntry {
  backupName: string;
  service: string;
  createdAt: string;
  expiresAt: string;
  state: BackupState;
  trigger: BackupTrigger;
}

export interface StoredManifest {
  manifest: BackupManifest;
  etag: string;
}

export class BackupCatalog {
  constructor(readonly container: ContainerClient) {}

  /** Checks the container exists and is reachable with the app's identity. */
  async ensureReachable(): Promise<void> {
    try {
      const exists = await this.container.exists();
      if (!exists) {
        throw new UserError(`backup container '${this.container.containerName}' does not exist in storage account '${this.container.accountName}': create it (azd up does)`, 404, 'ContainerNotFound');
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
      if (err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412)) return { created: false };
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
      // One request: the download carries the etag that a later conditional update needs.
      const response = await blob.download();
      const text = await readText(response.readableStreamBody);
      const parsed = manifestSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new AzureError(`manifest for '${backupName}' is not a valid apim-dr manifest: ${parsed.error.issues[0]?.message}`, 'InvalidManifest');
      return { manifest: parsed.data, etag: response.etag! };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
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
      if (err instanceof RestError && err.statusCode === 404) return undefined;
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

  /** Every catalogued backup (one listing call per 5,000 blobs), newest first; blobs without a manifest are foreign and skipped. */
  async list(service?: string): Promise<CatalogEntry[]> {
    const entries: CatalogEntry[] = [];
    try {
      const pages = this.container.listBlobsFlat({ prefix: service ? servicePrefix(service) : undefined, includeTags: true });
      for await (const blob of pages) {
        const backupName = backupNameOfManifest(blob.name);
        const parsed = backupName ? parseBackupName(backupName) : undefined;
        if (!backupName || !parsed) continue;
        const tags = blob.tags ?? {};
        entries.push({
          backupName,
          service: parsed.service,
          createdAt: tags['createdAt'] ?? parsed.createdAt.toISOString(),
          expiresAt: tags['expiresAt'] ?? '',
          state: (tags['state'] as BackupState | undefined) ?? 'running',
          trigger: parsed.trigger,
        });
      }
    } catch (err) {
      throw storageError(err, 'list the catalog');
    }
    return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}

async function readText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function storageError(err: unknown, action: string): Error {
  if (err instanceof RestError) {
    const hint = err.statusCode === 403 ? ": give the app's identity 'Storage Blob Data Owner' on the backup container (index tags need it)" : '';
    return new AzureError(`storage: cannot ${action}: ${err.code ?? err.statusCode}: ${err.message.split('\n')[0]}${hint}`, err.code ?? 'StorageError', err.statusCode);
  }
  return err instanceof Error ? err : new Error(String(err));
}
