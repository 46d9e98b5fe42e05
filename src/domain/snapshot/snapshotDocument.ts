/** The snapshot document: every captured resource by path, and what was left out. Stored as gzip JSON. */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { revisionPath } from './apiRevisions';
import type { SnapshotResource } from './captureResource';
import { SNAPSHOT_FORMAT } from './snapshotManifest';
import { typeOfPath } from './resourceTypes';

export const snapshotDocumentSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  apiVersion: z.string(),
  source: z.object({ id: z.string(), name: z.string(), sku: z.object({ name: z.string(), capacity: z.number().optional() }) }),
  takenAt: z.string(),
  resources: z.array(z.object({ path: z.string(), properties: z.record(z.string(), z.unknown()).optional() })),
  notCaptured: z.array(z.object({ path: z.string(), what: z.string(), reason: z.string(), fix: z.string() })),
});
export type SnapshotDocument = z.infer<typeof snapshotDocumentSchema>;

export function countByType(resources: SnapshotResource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of resources) {
    // A non-current revision is counted apart from the APIs (the tiers' limits count APIs).
    const label = revisionPath(r.path)
      ? r.path.toLowerCase().startsWith('workspaces/')
        ? 'workspaceApiRevisions'
        : 'apiRevisions'
      : (typeOfPath(r.path)?.label ?? 'unknown');
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}

export function contentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
