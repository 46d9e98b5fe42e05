/**
 * Deleting backups and their manifests, in blob batches. A backup blob that storage refuses to delete (immutability
 * policy, legal hold, lease) keeps its manifest, so nothing is orphaned and it is reported.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { manifestName } from '../../domain/backupName';
import { manifestCopy } from '../stateLayout';
import { storageError } from '../storageErrors';
import type { CatalogStores } from './stores';

export interface DeleteOutcome {
  deleted: string[];
  refused: { backupName: string; code: string; message: string }[];
}

/** A blob batch carries at most 256 sub-requests. */
const BATCH_SIZE = 256;

export async function deleteBackups(stores: CatalogStores, backupNames: string[]): Promise<DeleteOutcome> {
  const outcome: DeleteOutcome = { deleted: [], refused: [] };
  const gone: string[] = [];
  for (const chunk of chunks(backupNames, BATCH_SIZE)) {
    const results = await batchDelete(stores.container, chunk);
    chunk.forEach((name, i) => {
      const result = results[i]!;
      if (result.ok || result.status === 404) gone.push(name);
      else outcome.refused.push({ backupName: name, code: result.code, message: result.message });
    });
  }
  for (const chunk of chunks(gone, BATCH_SIZE)) {
    // The copy next to the backup first: apim-dr's own copy goes last, so nothing it still lists is left unowned.
    const mirrors = await batchDelete(stores.container, chunk.map(manifestName));
    const deleted = chunk.filter((name, i) => {
      const result = mirrors[i]!;
      if (result.ok || result.status === 404) return true;
      outcome.refused.push({ backupName: name, code: result.code, message: `backup deleted, but its manifest was not: ${result.message}` });
      return false;
    });
    const copies = await batchDelete(
      stores.state.container,
      deleted.map((name) => manifestCopy(manifestName(name))),
    );
    deleted.forEach((name, i) => {
      const result = copies[i]!;
      if (result.ok || result.status === 404) outcome.deleted.push(name);
      else
        outcome.refused.push({
          backupName: name,
          code: result.code,
          message: `backup deleted, but apim-dr's copy of its manifest was not: ${result.message}`,
        });
    });
  }
  return outcome;
}

async function batchDelete(container: ContainerClient, names: string[]): Promise<{ ok: boolean; status: number; code: string; message: string }[]> {
  if (names.length === 0) return [];
  try {
    const clients = names.map((n) => container.getBlobClient(n));
    const response = await container.getBlobBatchClient().deleteBlobs(clients);
    // Sub-responses are matched to blobs by URL: their order is the service's, not necessarily ours.
    const byUrl = new Map(response.subResponses.map((r) => [r._request.url, r]));
    return clients.map((client) => {
      const r = byUrl.get(client.url);
      const status = r?.status ?? 500;
      return {
        ok: status >= 200 && status < 300,
        status,
        code: r?.errorCode ?? 'Unknown',
        message: r?.statusMessage ?? 'no response for this blob in the batch',
      };
    });
  } catch (err) {
    throw storageError(err, `delete ${names.length} blob(s)`);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
