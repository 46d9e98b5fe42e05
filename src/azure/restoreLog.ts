/** Restore records in the backup container, written conditionally so a re-run activity finds its own. */
import { RestError, type ContainerClient } from '@azure/storage-blob';
import { restoreRecordSchema, type RestoreRecord } from '../domain/restoreRecord';
import { AzureError } from '../errors';
import { downloadText } from './blobText';

export class RestoreLog {
  constructor(private readonly container: ContainerClient) {}

  async read(recordName: string): Promise<{ record: RestoreRecord; etag: string } | undefined> {
    try {
      const { text, etag } = await downloadText(this.container.getBlockBlobClient(recordName));
      return { record: restoreRecordSchema.parse(JSON.parse(text)), etag };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw new AzureError(`storage: cannot read restore record '${recordName}': ${(err as Error).message.split('\n')[0]}`, 'RestoreRecordReadFailed');
    }
  }

  /** Restore records into `target`, newest first (names sort by time), at most `limit` of them read. */
  async recent(target: string, limit = 10): Promise<RestoreRecord[]> {
    const names: string[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: `restores/${target}.` })) names.push(blob.name);
    } catch (err) {
      throw new AzureError(`storage: cannot list restore records of '${target}': ${(err as Error).message.split('\n')[0]}`, 'RestoreRecordListFailed');
    }
    const newest = names.sort().reverse().slice(0, limit);
    const records = await Promise.all(newest.map((name) => this.read(name)));
    return records.flatMap((r) => (r ? [r.record] : []));
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
      if (!etag && err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412)) return false;
      throw new AzureError(`storage: cannot write restore record '${record.recordName}': ${(err as Error).message.split('\n')[0]}`, 'RestoreRecordWriteFailed');
    }
  }
}
