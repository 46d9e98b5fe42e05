/**
 * Snapshot names and manifests. A snapshot is `snapshots/<service>.<yyyyMMddTHHmmssZ>.<trigger>.json.gz` (the
 * document) and `…manifest.json` beside it. Their index tags never include `state`: the storage lifecycle rule
 * deletes `state`-tagged blobs after 32 days, and snapshots are kept longer.
 */
import { z } from 'zod';

export const SNAPSHOT_PREFIX = 'snapshots/';
export const SNAPSHOT_TRIGGERS = ['manual', 'scheduled', 'event', 'pre-apply'] as const;
export type SnapshotTrigger = (typeof SNAPSHOT_TRIGGERS)[number];
export const SNAPSHOT_FORMAT = 'apim-dr-snapshot/1';
/** The index tag that marks a blob as an apim-dr snapshot (ownership, with a valid manifest). */
export const SNAPSHOT_TAG = { name: 'apimdr', value: 'snapshot' };

const NAME = /^([a-zA-Z][a-zA-Z0-9-]*)\.(\d{8}T\d{6}Z)\.(manual|scheduled|event|pre-apply)(?:\.(\d+))?$/;

export function snapshotName(service: string, at: Date, trigger: SnapshotTrigger, attempt = 0): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${service}.${stamp}.${trigger}${attempt ? `.${attempt}` : ''}`;
}

export function parseSnapshotName(name: string): { service: string; trigger: SnapshotTrigger } | undefined {
  const m = NAME.exec(name);
  return m ? { service: m[1]!, trigger: m[3] as SnapshotTrigger } : undefined;
}

/** When a snapshot was asked for, from its name (to the second): 0 for a name that is not a snapshot's. */
export function snapshotNameTime(name: string | undefined): number {
  const stamp = name ? NAME.exec(name)?.[2] : undefined;
  if (!stamp) return 0;
  return Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`) || 0;
}

export const documentBlobName = (name: string) => `${SNAPSHOT_PREFIX}${name}.json.gz`;
export const manifestBlobName = (name: string) => `${SNAPSHOT_PREFIX}${name}.manifest.json`;

const notCapturedSchema = z.object({ path: z.string(), what: z.string(), reason: z.string(), fix: z.string() });

export const snapshotManifestSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal('apim-dr-snapshot'),
  snapshotName: z.string().regex(NAME),
  storageAccount: z.string(),
  container: z.string(),
  service: z.object({ id: z.string(), name: z.string(), location: z.string(), sku: z.object({ name: z.string(), capacity: z.number().optional() }) }),
  takenAt: z.string(),
  completedAt: z.string(),
  trigger: z.enum(SNAPSHOT_TRIGGERS),
  requestedBy: z.string(),
  /** Its take's events' correlation ID (`apim-dr logs`); absent in snapshots taken before takes kept their events. */
  correlationId: z.string().optional(),
  apiVersion: z.string(),
  counts: z.record(z.string(), z.number()),
  resourceCount: z.number(),
  /** sha256 of the uncompressed document. */
  contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  blobSize: z.number(),
  armRequests: z.number(),
  notCaptured: z.array(notCapturedSchema),
  unreadable: z.array(z.object({ type: z.string(), code: z.string(), message: z.string() })),
  /**
   * Set on a snapshot of part of an instance (the way back of an `--only` apply): the `--only` it covers. It holds
   * those resources and what they need, nothing else: it is no protection of the instance and counts for no RPO.
   */
  scope: z.array(z.string()).optional(),
});
export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;

export function snapshotTags(m: SnapshotManifest): Record<string, string> {
  return { [SNAPSHOT_TAG.name]: SNAPSHOT_TAG.value, service: m.service.name, takenAt: m.takenAt, ...(m.scope ? { scope: 'part' } : {}) };
}
