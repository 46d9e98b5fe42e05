/** Deleting blobs in blob batches: one request per BATCH_SIZE blobs, each blob's outcome reported on its own. */
import type { ContainerClient } from '@azure/storage-blob';
import { storageError } from './storageErrors';

/** A blob batch carries at most 256 sub-requests. */
export const BATCH_SIZE = 256;

export interface BatchDeleteResult {
  ok: boolean;
  status: number;
  code: string;
  message: string;
}

/** Deletes `names` (at most BATCH_SIZE) in one batch; a result per name, in the same order. */
export async function batchDelete(container: ContainerClient, names: string[]): Promise<BatchDeleteResult[]> {
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

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
