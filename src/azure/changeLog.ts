/** Pending configuration changes per instance (`events/<service>.json` in the state container), with etags. */
import { EMPTY_CHANGES, pendingChangesSchema, type PendingChanges } from '../domain/pendingChanges';
import { AzureError } from '../errors';
import type { JsonBlobStore } from './jsonBlobStore';
import { CHANGES_PREFIX, changesBlob } from './stateLayout';

const MAX_ATTEMPTS = 20;

export class ChangeLog {
  constructor(private readonly store: JsonBlobStore) {}

  /** Applies `change` with optimistic concurrency: a concurrent writer makes it read and try again. */
  async update(service: string, change: (state: PendingChanges) => PendingChanges): Promise<PendingChanges> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { state, etag } = await this.read(service);
      const next = change(state);
      if (next === state) return state;
      // Tags let the tick find pending bursts with one listing.
      const tags = { service: service.toLowerCase(), count: String(next.count), firstAt: next.firstAt ?? '', lastAt: next.lastAt ?? '' };
      if ((await this.store.write(changesBlob(service), next, etag ? { etag } : 'absent', tags)) !== false) return next;
    }
    throw new AzureError(
      `storage: cannot record changes of '${service}': '${changesBlob(service)}' kept changing under ${MAX_ATTEMPTS} attempts`,
      'ConditionNotMet',
      412,
    );
  }

  async read(service: string): Promise<{ state: PendingChanges; etag?: string }> {
    const stored = await this.store.read(changesBlob(service), pendingChangesSchema, {
      what: 'apim-dr state blob',
      code: 'InvalidStateBlob',
      recovery: 'the next change recreates it; back the instance up to cover what it held',
    });
    return stored ? { state: stored.value, etag: stored.etag } : { state: EMPTY_CHANGES };
  }

  /** Every instance with changes pending, from one listing (index tags), keyed by lower-case service name. */
  async pending(): Promise<Map<string, Pick<PendingChanges, 'count' | 'firstAt' | 'lastAt'>>> {
    const result = new Map<string, Pick<PendingChanges, 'count' | 'firstAt' | 'lastAt'>>();
    for (const { tags } of await this.store.list(CHANGES_PREFIX, true)) {
      const count = Number(tags['count'] ?? 0);
      if (count > 0 && tags['service']) result.set(tags['service'], { count, firstAt: tags['firstAt'], lastAt: tags['lastAt'] });
    }
    return result;
  }
}
