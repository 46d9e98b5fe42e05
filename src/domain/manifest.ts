/** The catalog record written next to every backup (`<stem>.manifest.json`, docs/design.md §4). */
import { z } from 'zod';
import { BACKUP_TRIGGERS, parseBackupName } from './backupName';

export const BACKUP_STATES = ['running', 'succeeded', 'failed', 'expired'] as const;
export type BackupState = (typeof BACKUP_STATES)[number];

const snapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  sku: z.object({ name: z.string(), capacity: z.number() }),
  provisioningState: z.string(),
  platformVersion: z.string(),
  additionalLocations: z.array(z.string()),
  virtualNetworkType: z.string(),
  hostnames: z.array(z.string()),
  customProperties: z.record(z.string(), z.string()),
  identity: z.object({ type: z.string(), userAssignedClientIds: z.array(z.string()) }),
  developerPortalStatus: z.string().optional(),
  publicNetworkAccess: z.string().optional(),
  zones: z.array(z.string()),
  regions: z
    .array(z.object({ location: z.string(), platformVersion: z.string(), publicIPAddresses: z.array(z.string()), subnetId: z.string().optional() }))
    .optional(),
});

export const manifestSchema = z.object({
  schemaVersion: z.literal(1),
  backupName: z.string(),
  storageAccount: z.string(),
  container: z.string(),
  serviceId: z.string(),
  service: snapshotSchema.optional(),
  inventory: z.object({ apis: z.number(), products: z.number(), namedValues: z.number() }).optional(),
  trigger: z.enum(BACKUP_TRIGGERS),
  requestedBy: z.string(),
  correlationId: z.string(),
  events: z.object({ count: z.number(), ids: z.array(z.string()) }).optional(),
  /** Orchestration instance and execution that own this backup: a re-run activity recognises its own record. */
  owner: z.string(),
  startedAt: z.string(),
  /** When a start activity last claimed the right to send the backup's POST (see workflows/postClaim.ts). */
  postClaimedAt: z.string().optional(),
  completedAt: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  state: z.enum(BACKUP_STATES),
  /** The SDK poller's serialized state, so any activity can resume monitoring. Holds no credential. */
  operationToken: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  blobSize: z.number().optional(),
  /** When the sweep moved the blob to the Archive tier (the record is kept for audit). */
  archivedAt: z.string().optional(),
  /** The last delete storage refused (immutability, legal hold, lease): reported, then left alone for a while. */
  deleteRefused: z.object({ at: z.string(), code: z.string(), message: z.string() }).optional(),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/** The index tags on the backup blob and its manifest: enough to list and plan without reading manifests. */
export function manifestTags(m: BackupManifest): Record<string, string> {
  return {
    service: m.service?.name ?? parseBackupName(m.backupName)?.service ?? m.backupName,
    createdAt: m.createdAt,
    expiresAt: m.expiresAt,
    state: m.state,
    trigger: m.trigger,
    // The platform the instance ran on: status counts what is still on stv1 without reading manifests.
    ...(m.service ? { platform: m.service.platformVersion } : {}),
    // How long it took, for RPO planning from the listing alone.
    ...(m.completedAt ? { completedAt: m.completedAt } : {}),
    ...(m.archivedAt ? { archivedAt: m.archivedAt } : {}),
    ...(m.deleteRefused ? { refusedAt: m.deleteRefused.at } : {}),
  };
}
