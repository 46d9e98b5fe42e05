/** The book of open incidents, one etag-guarded blob in the state container, so concurrent activities never both announce one. */
import type { Closure, IncidentBook, Notice, Observation } from '../domain/incidents';
import { incidentFileSchema, reconcile } from '../domain/incidents';
import { AzureError } from '../errors';
import type { JsonBlobStore } from './jsonBlobStore';
import { INCIDENTS_BLOB } from './stateLayout';

const ATTEMPTS = 8;

export class IncidentStore {
  constructor(private readonly store: JsonBlobStore) {}

  /** Applies the observations and returns the notices this call claimed: each transition is claimed once. */
  async apply(observations: readonly (Observation | Closure)[]): Promise<Notice[]> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const current = await this.read();
      const { book, notices } = reconcile(current.book, observations);
      if (notices.length === 0) return [];
      const written = await this.store.write(INCIDENTS_BLOB, { schemaVersion: 1, incidents: book }, current.etag ? { etag: current.etag } : 'absent');
      if (written !== false) return notices;
    }
    throw new AzureError(`storage: '${INCIDENTS_BLOB}' kept changing under ${ATTEMPTS} attempts to update it`, 'IncidentWriteContended');
  }

  async read(): Promise<{ book: IncidentBook; etag?: string }> {
    const stored = await this.store.read(INCIDENTS_BLOB, incidentFileSchema, {
      what: 'apim-dr state blob',
      code: 'InvalidStateBlob',
      recovery: 'it is rebuilt from the next observations',
    });
    return stored ? { book: stored.value.incidents, etag: stored.etag } : { book: {} };
  }
}
