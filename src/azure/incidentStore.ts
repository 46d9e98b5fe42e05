/** The book of open incidents, one etag-guarded blob next to the catalog, so concurrent activities never both announce one. */
import type { ContainerClient } from '@azure/storage-blob';
import type { IncidentBook, Notice, Observation } from '../domain/incidents';
import { incidentFileSchema, reconcile } from '../domain/incidents';
import { AzureError } from '../errors';
import { downloadText, parseStored } from './blobText';
import { isWriteConflict, storageError, storageStatus } from './storageErrors';

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
        if (isWriteConflict(err)) continue;
        throw storageError(err, `write '${INCIDENTS_BLOB}'`);
      }
    }
    throw new AzureError(`storage: '${INCIDENTS_BLOB}' kept changing under ${ATTEMPTS} attempts to update it`, 'IncidentWriteContended');
  }

  async read(): Promise<{ book: IncidentBook; etag?: string }> {
    try {
      const { text, etag } = await downloadText(this.container.getBlockBlobClient(INCIDENTS_BLOB));
      return {
        book: parseStored(INCIDENTS_BLOB, text, incidentFileSchema, {
          what: 'apim-dr state blob',
          code: 'InvalidStateBlob',
          recovery: 'it is rebuilt from the next observations',
        }).incidents,
        etag,
      };
    } catch (err) {
      if (storageStatus(err) === 404) return { book: {} };
      throw storageError(err, `read '${INCIDENTS_BLOB}'`);
    }
  }
}
