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
