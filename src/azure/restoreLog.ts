/** Restore records in the backup container, written conditionally so a re-run activity finds its own. */
import type { ContainerClient } from '@azure/storage-blob';
import { restoreRecordSchema, type RestoreRecord } from '../domain/restoreRecord';
import { downloadText, parseStored } from './blobText';
import { isWriteConflict, storageError, storageStatus } from './storageErrors';

export class RestoreLog {
  constructor(private readonly container: ContainerClient) {}

  async read(recordName: string): Promise<{ record: RestoreRecord; etag: string } | undefined> {
    let stored: { text: string; etag: string };
    try {
      stored = await downloadText(this.container.getBlockBlobClient(recordName));
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      throw storageError(err, `read restore record '${recordName}'`);
    }
    return {
      record: parseStored(recordName, stored.text, restoreRecordSchema, { what: 'apim-dr restore record', code: 'InvalidRestoreRecord' }),
      etag: stored.etag,
    };
  }

  /** Restore records into `target`, newest first (names sort by time), at most `limit` of them read. */
  async recent(target: string, limit = 10): Promise<RestoreRecord[]> {
    const names: string[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: `restores/${target}.` })) names.push(blob.name);
    } catch (err) {
      throw storageError(err, `list restore records of '${target}'`);
    }
    const newest = names.sort().reverse().slice(0, limit);
    const records = await Promise.all(newest.map((name) => this.read(name)));
    return records.flatMap((r) => (r ? [r.record] : []));
  }

  /** Every record's name, from one listing (names only: a page holds 5,000). */
  async names(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: 'restores/' })) names.push(blob.name);
    } catch (err) {
      throw storageError(err, 'list restore records');
    }
    return names;
  }

  /** Deletes a record; one already gone counts as deleted. */
  async remove(recordName: string): Promise<void> {
    try {
      await this.container.getBlockBlobClient(recordName).deleteIfExists();
    } catch (err) {
      throw storageError(err, `delete restore record '${recordName}'`);
    }
  }

  /** Creates the record if absent (false when it exists), or replaces it if it still has `etag`. */
  async write(record: RestoreRecord, etag?: string): Promise<string | false> {
    const body = JSON.stringify(record, null, 2);
    try {
      const response = await this.container.getBlockBlobClient(record.recordName).upload(body, Buffer.byteLength(body), {
        conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return response.etag!;
    } catch (err) {
      if (!etag && isWriteConflict(err)) return false;
      throw storageError(err, `write restore record '${record.recordName}'`);
    }
  }
}
