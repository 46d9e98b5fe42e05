/**
 * The backup catalog (docs/design.md §4): manifests with index tags for cheap listing. One method per job, each
 * job in its own file under backupCatalog/: manifests (read, create, update), the backup blobs, the listing,
 * ownership, deletion, the sweep's marks, and reachability.
 */
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { BackupManifest } from '../domain/manifest';
import { archiveBackup, amendManifest, expiredState } from './backupCatalog/amendManifest';
import { backupBlobSize, tagBackupBlob } from './backupCatalog/backupBlobs';
import { deleteBackups, type DeleteOutcome } from './backupCatalog/deleteBackups';
import { createManifest, readManifest, updateManifest, type StoredManifest } from './backupCatalog/manifests';
import { ownership } from './backupCatalog/ownership';
import { corsRuleCount, ensureReachable } from './backupCatalog/reachability';
import { readCatalogEntry } from './backupCatalog/readCatalogEntry';
import { scanCatalog, type CatalogEntry } from './backupCatalog/scanCatalog';
import type { CatalogStores } from './backupCatalog/stores';
import type { JsonBlobStore } from './jsonBlobStore';

export { expiredState } from './backupCatalog/amendManifest';
export type { CatalogEntry } from './backupCatalog/scanCatalog';
export type { DeleteOutcome } from './backupCatalog/deleteBackups';
export type { StoredManifest } from './backupCatalog/manifests';

export class BackupCatalog {
  private readonly stores: CatalogStores;

  constructor(
    readonly container: ContainerClient,
    state: JsonBlobStore,
    private readonly service?: BlobServiceClient,
  ) {
    this.stores = { container, state };
  }

  corsRuleCount(): Promise<number | 'unreadable'> {
    return corsRuleCount(this.service);
  }

  ensureReachable(): Promise<void> {
    return ensureReachable(this.stores);
  }

  create(manifest: BackupManifest): Promise<{ created: true; etag: string } | { created: false }> {
    return createManifest(this.stores, manifest);
  }

  update(manifest: BackupManifest, etag?: string): Promise<string> {
    return updateManifest(this.stores, manifest, etag);
  }

  read(backupName: string): Promise<StoredManifest | undefined> {
    return readManifest(this.stores, backupName);
  }

  backupBlobSize(backupName: string): Promise<number | undefined> {
    return backupBlobSize(this.container, backupName);
  }

  tagBackupBlob(manifest: BackupManifest): Promise<void> {
    return tagBackupBlob(this.container, manifest);
  }

  /** Every catalogued backup (one listing call per 5,000 blobs), newest first; foreign ones are left out (see scan). */
  async list(service?: string): Promise<CatalogEntry[]> {
    return (await this.scan(service)).entries;
  }

  /** One backup's entry as a listing would give it (its blob included), from two reads; undefined when not apim-dr's. */
  entry(backupName: string): Promise<CatalogEntry | undefined> {
    return readCatalogEntry(this.stores, backupName);
  }

  scan(service?: string): Promise<{ entries: CatalogEntry[]; foreign: string[] }> {
    return scanCatalog(this.stores, service);
  }

  ownership(backupName: string): Promise<{ owned: true } | { owned: false; reason: string }> {
    return ownership(this.stores, backupName);
  }

  deleteBackups(backupNames: string[]): Promise<DeleteOutcome> {
    return deleteBackups(this.stores, backupNames);
  }

  archiveBackup(backupName: string, now: Date): Promise<void> {
    return archiveBackup(this.stores, backupName, now);
  }

  markExpired(backupName: string, now: Date): Promise<void> {
    return amendManifest(this.stores, backupName, (m) => ({ ...m, state: expiredState(m, now) }));
  }

  recordRefusal(backupName: string, refusal: { code: string; message: string }, now: Date): Promise<void> {
    return amendManifest(this.stores, backupName, (m) => ({ ...m, state: expiredState(m, now), deleteRefused: { at: now.toISOString(), ...refusal } }));
  }
}
