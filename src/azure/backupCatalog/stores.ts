/** Where the catalog lives: the backup container (blobs and the manifests' public copies) and apim-dr's state container. */
import type { ContainerClient } from '@azure/storage-blob';
import type { JsonBlobStore } from '../jsonBlobStore';

export interface CatalogStores {
  container: ContainerClient;
  state: JsonBlobStore;
}
