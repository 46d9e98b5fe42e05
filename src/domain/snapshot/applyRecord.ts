/** The record of a snapshot apply (`snapshot-applies/<target>.<yyyyMMddTHHmmssZ>.<id>.json`): who, what, verdict, RTO, verification. */
import { z } from 'zod';

const failedWrite = z.object({ path: z.string(), code: z.string(), message: z.string() });
const outcomeGroup = z.object({ kind: z.string(), count: z.number(), examples: z.array(z.string()) });
const finding = z.object({ severity: z.string(), code: z.string(), resource: z.string().optional(), message: z.string(), fix: z.string() });

export const applyRecordSchema = z.object({
  schemaVersion: z.literal(1),
  recordName: z.string(),
  snapshotName: z.string(),
  source: z.string(),
  target: z.string(),
  targetId: z.string(),
  requestedBy: z.string(),
  /** Its events' correlation ID (`apim-dr logs`); absent in records written before applies kept their events. */
  correlationId: z.string().optional(),
  /** `sync`: the schedule keeping a standby in sync; absent in records written before syncs existed. */
  purpose: z.enum(['apply', 'sync']).default('apply'),
  mode: z.enum(['merge', 'mirror']),
  only: z.array(z.string()),
  /** Secrets supplied at apply, by path (never their values). */
  supplied: z.array(z.string()).optional(),
  /** A sync's app settings (`standbys[].secrets`) that were not set: what it could not supply. */
  missingSettings: z.array(z.string()).optional(),
  /** Environment values used on the target instead of the source's. */
  overrides: z.array(z.object({ path: z.string(), field: z.string(), value: z.string() })).optional(),
  /** The snapshot of the target taken just before: its way back. */
  preApplySnapshot: z.string().optional(),
  state: z.enum(['succeeded', 'partial', 'failed', 'refused']),
  verdict: z.string(),
  counts: z.object({ create: z.number(), change: z.number(), delete: z.number(), unchanged: z.number(), skipped: z.number() }),
  /** The first findings of each group (boundFindings.ts); absent groups and omissions in records written before. */
  findings: z.array(finding),
  findingGroups: z.array(z.object({ severity: z.string(), code: z.string(), count: z.number(), fix: z.string(), examples: z.array(z.string()) })).optional(),
  findingsOmitted: z.number().optional(),
  /** When findings were left out: the blob in the state container that holds every one (`applyFindingsBlob`). */
  findingsBlob: z.string().optional(),
  /** The first failed writes of each code (boundOutcome.ts); every one in `findingsBlob` when some are left out. */
  failed: z.array(failedWrite),
  failedGroups: z.array(outcomeGroup).optional(),
  failedOmitted: z.number().optional(),
  /** The first paths of each resource type that read back different or were not deleted; likewise bounded. */
  verification: z
    .object({
      checked: z.number(),
      mismatched: z.array(z.string()),
      stillPresent: z.array(z.string()),
      mismatchedGroups: z.array(outcomeGroup).optional(),
      mismatchedOmitted: z.number().optional(),
      stillPresentGroups: z.array(outcomeGroup).optional(),
      stillPresentOmitted: z.number().optional(),
    })
    .optional(),
  startedAt: z.string(),
  completedAt: z.string(),
  /** From the request to a verified target. */
  rtoMs: z.number(),
  armRequests: z.number(),
});
export type ApplyRecord = z.infer<typeof applyRecordSchema>;

export function applyRecordName(target: string, at: Date, id: string): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `snapshot-applies/${target}.${stamp}.${id}.json`;
}

/**
 * Every finding, failed write and path read back different of an apply whose record keeps only the first of each
 * group: `snapshot-apply-findings/<record>.json`. Written at the plan (findings), completed at the finish.
 */
export function applyFindingsBlob(recordName: string): string {
  return `snapshot-apply-findings/${recordName.slice(recordName.indexOf('/') + 1)}`;
}

/** The findings blob: an array of findings as first written (before outcomes were bounded too), or the full lists. */
export const applyFindingsSchema = z.union([
  z.array(finding).transform((findings) => ({ findings, failed: [], mismatched: [], stillPresent: [] })),
  z.object({
    findings: z.array(finding),
    failed: z.array(failedWrite).default([]),
    mismatched: z.array(z.string()).default([]),
    stillPresent: z.array(z.string()).default([]),
  }),
]);
export type ApplyFindings = z.output<typeof applyFindingsSchema>;
