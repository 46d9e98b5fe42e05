/** The book of open incidents, one etag-guarded blob next to the catalog, so concurrent activities never both announce one. */
import { RestError, type ContainerClient } from '@azure/storage-blob';
import type { IncidentBook, Notice, Observation } from '../domain/incidents';
import { reconcile } from '../domain/incidents';
import { AzureError } from '../errors';
import { downloadText } from './blobText';

export const INCIDENTS_BLOB = 'notifications/incidents.json';
const ATTEMPTS = 8;

export class IncidentStore {
  constructor(private readonly container: ContainerClient) {}

  /** Applies the observations and returns the notices this call claimed: each transition is claimed once. */
  async apply(observations: readonly Observation[]): Promise<Notice[]> {
    const blob = this.container.getBlockBlobClient(INCIDENTS_BLOB);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read();
      const { book, notices } = reconcile(current.book, observations);
      if (notices.length === 0) return [];
      const body = JSON.stringify({ schemaVersion: 1, incidents: book }, null, 2);
      try {
        await blob.upload(body, Buffer.byteLength(body), {
          conditions: current.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
        });
        return notices;
      } catch (err) {
        if (err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412)) continue;
        throw new AzureError(`storage: cannot write '${INCIDENTS_BLOB}': ${(err as Error).message.split('\n')[0]}`, 'IncidentWriteFailed');
      }
    }
    throw new AzureError(`storage: '${INCIDENTS_BLOB}' kept changing under ${ATTEMPTS} attempts to update it`, 'IncidentWriteContended');
  }

  async read(): Promise<{ book: IncidentBook; etag?: string }> {
    try {
      const { text, etag } = await downloadText(this.container.getBlockBlobClient(INCIDENTS_BLOB));
      return { book: (JSON.parse(text) as { incidents: IncidentBook }).incidents, etag };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return { book: {} };
      throw new AzureError(`storage: cannot read '${INCIDENTS_BLOB}': ${(err as Error).message.split('\n')[0]}`, 'IncidentReadFailed');
    }
  }
}
