/** What the readiness check asks of storage: both containers there and reachable, and blob CORS off. */
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { UserError } from '../../errors';
import { storageError } from '../storageErrors';
import type { CatalogStores } from './stores';

/** Number of blob service CORS rules (APIM backup needs none), or 'unreadable' without the right to read them. */
export async function corsRuleCount(service: BlobServiceClient | undefined): Promise<number | 'unreadable'> {
  if (!service) return 'unreadable';
  try {
    return (await service.getProperties()).cors?.length ?? 0;
  } catch {
    return 'unreadable';
  }
}

/** Checks the backup and state containers exist and are reachable with the app's identity. */
export async function ensureReachable(stores: CatalogStores): Promise<void> {
  await mustExist(stores.container, 'backup container', 'storage.container');
  await mustExist(stores.state.container, 'state container', 'storage.stateContainer');
}

async function mustExist(container: ContainerClient, what: string, field: string): Promise<void> {
  let exists: boolean;
  try {
    exists = await container.exists();
  } catch (err) {
    throw storageError(err, `reach container '${container.containerName}'`);
  }
  if (!exists) {
    throw new UserError(
      `${what} '${container.containerName}' (${field}) does not exist in storage account '${container.accountName}': create it (azd up does)`,
      'not-found',
      'ContainerNotFound',
    );
  }
}
