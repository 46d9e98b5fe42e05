/** Pending configuration changes per instance, in `events/<service>.json` next to the catalog, with etags. */
import type { ContainerClient } from '@azure/storage-blob';
import { EMPTY_CHANGES, pendingChangesSchema, type PendingChanges } from '../domain/pendingChanges';
import { downloadText, parseStored } from './blobText';
import { isWriteConflict, storageError, storageStatus } from './storageErrors';

const PREFIX = 'events/';
const MAX_ATTEMPTS = 20;

export class ChangeLog {
  constructor(private readonly container: ContainerClient) {}

  /** Applies `change` with optimistic concurrency: a concurrent writer makes it read and try again. */
  async update(service: string, change: (state: PendingChanges) => PendingChanges): Promise<PendingChanges> {
    const blob = this.container.getBlockBlobClient(`${PREFIX}${service.toLowerCase()}.json`);
    for (let attempt = 1; ; attempt++) {
      const { state, etag } = await this.read(service);
      const next = change(state);
      if (next === state) return state;
      const body = JSON.stringify(next);
      try {
        await blob.upload(body, Buffer.byteLength(body), {
          conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' },
          blobHTTPHeaders: { blobContentType: 'application/json' },
          // Tags let the tick find pending bursts with one listing.
          tags: { service: service.toLowerCase(), count: String(next.count), firstAt: next.firstAt ?? '', lastAt: next.lastAt ?? '' },
        });
        return next;
      } catch (err) {
        if (!isWriteConflict(err) || attempt >= MAX_ATTEMPTS) throw storageError(err, `record changes of '${service}'`);
      }
    }
  }

  async read(service: string): Promise<{ state: PendingChanges; etag?: string }> {
    const blob = this.container.getBlockBlobClient(`${PREFIX}${service.toLowerCase()}.json`);
    try {
      const { text, etag } = await downloadText(blob);
      return {
        state: parseStored(blob.name, text, pendingChangesSchema, {
          what: 'apim-dr state blob',
          code: 'InvalidStateBlob',
          recovery: 'the next change recreates it; back the instance up to cover what it held',
        }),
        etag,
      };
    } catch (err) {
      if (storageStatus(err) === 404) return { state: EMPTY_CHANGES };
      throw storageError(err, `read changes of '${service}'`);
    }
  }

  /** Every instance with changes pending, from one listing (index tags), keyed by lower-case service name. */
  async pending(): Promise<Map<string, Pick<PendingChanges, 'count' | 'firstAt' | 'lastAt'>>> {
    const result = new Map<string, Pick<PendingChanges, 'count' | 'firstAt' | 'lastAt'>>();
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX, includeTags: true })) {
        const tags = blob.tags ?? {};
        const count = Number(tags['count'] ?? 0);
        if (count > 0 && tags['service']) result.set(tags['service'], { count, firstAt: tags['firstAt'], lastAt: tags['lastAt'] });
      }
    } catch (err) {
      throw storageError(err, 'list pending changes');
    }
    return result;
  }
}
