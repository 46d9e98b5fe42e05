/** Snapshots in storage: the gzip document and its manifest, tagged as apim-dr's; listed, read back and retired. */
import type { ContainerClient } from '@azure/storage-blob';
import { gunzipSync, gzipSync } from 'node:zlib';
import { contentHash, snapshotDocumentSchema, type SnapshotDocument } from '../../domain/snapshot/snapshotDocument';
import {
  documentBlobName,
  manifestBlobName,
  parseSnapshotName,
  SNAPSHOT_PREFIX,
  SNAPSHOT_TAG,
  snapshotManifestSchema,
  snapshotTags,
  type SnapshotManifest,
} from '../../domain/snapshot/snapshotManifest';
import { AzureError, UserError } from '../../errors';
import { downloadText, parseStored } from '../blobText';
import { isWriteConflict, storageError, storageStatus } from '../storageErrors';

export interface SnapshotEntry {
  snapshotName: string;
  service: string;
  takenAt: string;
  /** Size of the gzip document, when the listing saw it. */
  size?: number;
  /** A snapshot of part of the instance (see the manifest's `scope`): not a protection of it. */
  scoped?: boolean;
}

const MANIFEST_SUFFIX = '.manifest.json';

export class SnapshotStore {
  constructor(readonly container: ContainerClient) {}

  /** Writes the document, then the manifest (the manifest is what makes a snapshot exist). Returns the stored manifest. */
  async write(document: SnapshotDocument, manifest: Omit<SnapshotManifest, 'contentHash' | 'blobSize'>): Promise<SnapshotManifest> {
    const text = JSON.stringify(document);
    const gzip = gzipSync(text);
    const complete: SnapshotManifest = { ...manifest, contentHash: contentHash(text), blobSize: gzip.length };
    const tags = snapshotTags(complete);
    try {
      await this.container.getBlockBlobClient(documentBlobName(manifest.snapshotName)).uploadData(gzip, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json', blobContentEncoding: 'gzip' },
        tags,
      });
      const body = JSON.stringify(complete, null, 2);
      await this.container.getBlockBlobClient(manifestBlobName(manifest.snapshotName)).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
        tags,
      });
    } catch (err) {
      if (isWriteConflict(err)) throw new UserError(`snapshot '${manifest.snapshotName}' already exists`, 'conflict', 'SnapshotExists', { cause: err });
      throw storageError(err, `write snapshot '${manifest.snapshotName}'`);
    }
    return complete;
  }

  /** apim-dr's snapshots (tagged manifests), newest first; of one instance when `service` is given. */
  async list(service?: string): Promise<SnapshotEntry[]> {
    const entries = new Map<string, SnapshotEntry>();
    const sizes = new Map<string, number>();
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: `${SNAPSHOT_PREFIX}${service ? `${service}.` : ''}`, includeTags: true })) {
        const name = blob.name.slice(SNAPSHOT_PREFIX.length);
        if (name.endsWith('.json.gz')) sizes.set(name.slice(0, -'.json.gz'.length), blob.properties.contentLength ?? 0);
        if (!name.endsWith(MANIFEST_SUFFIX) || blob.tags?.[SNAPSHOT_TAG.name] !== SNAPSHOT_TAG.value) continue;
        const snapshotName = name.slice(0, -MANIFEST_SUFFIX.length);
        const parsed = parseSnapshotName(snapshotName);
        if (!parsed || !blob.tags.takenAt) continue;
        entries.set(snapshotName, { snapshotName, service: parsed.service, takenAt: blob.tags.takenAt, ...(blob.tags.scope ? { scoped: true } : {}) });
      }
    } catch (err) {
      throw storageError(err, 'list snapshots');
    }
    return [...entries.values()]
      .map((e) => ({ ...e, size: sizes.get(e.snapshotName) }))
      .sort((a, b) => b.takenAt.localeCompare(a.takenAt) || b.snapshotName.localeCompare(a.snapshotName));
  }

  async readManifest(name: string): Promise<SnapshotManifest> {
    if (!parseSnapshotName(name))
      throw new UserError(`'${name}' is not a snapshot name (expected <service>.<yyyyMMddTHHmmssZ>.<trigger>)`, 'usage', 'InvalidSnapshotName');
    try {
      const { text } = await downloadText(this.container.getBlockBlobClient(manifestBlobName(name)));
      return parseStored(manifestBlobName(name), text, snapshotManifestSchema, { what: 'apim-dr snapshot manifest', code: 'InvalidSnapshotManifest' });
    } catch (err) {
      if (storageStatus(err) === 404) throw new UserError(`snapshot '${name}' was not found`, 'not-found', 'SnapshotNotFound', { cause: err });
      if (err instanceof AzureError) throw err;
      throw storageError(err, `read snapshot manifest '${name}'`);
    }
  }

  /** The document, checked against the manifest's content hash. */
  async readDocument(manifest: SnapshotManifest): Promise<SnapshotDocument> {
    let gzip: Buffer;
    try {
      gzip = await this.container.getBlockBlobClient(documentBlobName(manifest.snapshotName)).downloadToBuffer();
    } catch (err) {
      throw storageError(err, `read snapshot '${manifest.snapshotName}'`);
    }
    const text = gunzipSync(gzip).toString('utf8');
    if (contentHash(text) !== manifest.contentHash) {
      throw new AzureError(
        `snapshot '${manifest.snapshotName}' does not match its manifest's content hash: it was changed after it was taken`,
        'SnapshotTampered',
      );
    }
    return parseStored(documentBlobName(manifest.snapshotName), text, snapshotDocumentSchema, { what: 'apim-dr snapshot', code: 'InvalidSnapshot' });
  }

  /** Deletes a snapshot only when its manifest is a valid apim-dr manifest for this container (ownership). */
  async delete(name: string): Promise<boolean> {
    let manifest: SnapshotManifest;
    try {
      manifest = await this.readManifest(name);
    } catch {
      return false;
    }
    if (manifest.container !== this.container.containerName || manifest.snapshotName !== name) return false;
    try {
      await this.container.getBlockBlobClient(documentBlobName(name)).deleteIfExists();
      await this.container.getBlockBlobClient(manifestBlobName(name)).deleteIfExists();
      return true;
    } catch (err) {
      throw storageError(err, `delete snapshot '${name}'`);
    }
  }
}
