/**
 * Deleting backups and their manifests, in blob batches. A backup blob that storage refuses to delete (immutability
 * policy, legal hold, lease) keeps its manifest, so nothing is orphaned and it is reported.
 */
import { manifestName } from '../../domain/backupName';
import { batchDelete, BATCH_SIZE, chunks } from '../batchDelete';
import { manifestCopy } from '../stateLayout';
import type { CatalogStores } from './stores';

export interface DeleteOutcome {
  deleted: string[];
  refused: { backupName: string; code: string; message: string }[];
}

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
