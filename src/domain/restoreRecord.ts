/** The record of a restore (`restores/<target>.<yyyyMMddTHHmmssZ>.<ms><id>.json`): who, what, when, verdict, RTO, verification. */
import { hash8 } from './instanceIds';
import { z } from 'zod';
import { formatBackupTime } from './backupName';
import { recordedApprovalSchema } from './recordedApproval';

export const RESTORE_STATES = ['running', 'succeeded', 'failed', 'refused'] as const;

/** Why the restore ran: an operator's restore, a standby sync, a drill, the rollback of an earlier restore, or a side-by-side migration. */
export const RESTORE_PURPOSES = ['restore', 'sync', 'drill', 'rollback', 'migration'] as const;
export type RestorePurpose = (typeof RESTORE_PURPOSES)[number];

export const findingSchema = z.object({ code: z.string(), severity: z.enum(['blocking', 'warning', 'info']), message: z.string(), fix: z.string() });

export const restoreRecordSchema = z.object({
  schemaVersion: z.literal(1),
  recordName: z.string(),
  source: z.string(),
  target: z.string(),
  targetId: z.string(),
  backupName: z.string().optional(),
  requestedBy: z.string(),
  /** Who approved it as the second person, or who ran it on break-glass (domain/approvalRecord.ts). */
  approval: recordedApprovalSchema.optional(),
  correlationId: z.string(),
  owner: z.string(),
  /** Absent in records written before purposes existed: those were operators' restores. */
  purpose: z.enum(RESTORE_PURPOSES).default('restore'),
  /** The backup of the target taken just before this restore: its rollback path. */
  preRestoreBackup: z.string().optional(),
  /** For a rollback: the record of the restore it undoes. */
  rollbackOf: z.string().optional(),
  requestedAt: z.string(),
  startedAt: z.string().optional(),
  completedAt: z.string().optional(),
  state: z.enum(RESTORE_STATES),
  verdict: z.string().optional(),
  findings: z.array(findingSchema),
  operationToken: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** From the request to a verified target. */
  rtoMs: z.number().optional(),
  verification: z
    .object({ ok: z.boolean(), expected: z.record(z.string(), z.number()), actual: z.record(z.string(), z.number()), provisioningState: z.string() })
    .optional(),
});

export type RestoreRecord = z.output<typeof restoreRecordSchema>;

/** The properties every restore log event carries, so that one query follows a restore from start to end. */
export function restoreEventProperties(record: RestoreRecord): Record<string, unknown> {
  const { source, target, purpose, backupName, preRestoreBackup, correlationId } = record;
  return { source, target, purpose, backupName, preRestoreBackup, correlationId };
}

/**
 * Unique even within one second: the milliseconds and four hex chars of the request (`requestKey`: its orchestration
 * run and correlation ID) follow the time, so a refused request and a valid one in the same second get two records,
 * and names still sort by time. Records written before this carried the time alone (`restores/<target>.<time>.json`).
 */
export function restoreRecordName(target: string, requestedAt: Date, requestKey: string): string {
  return timedRecordName('restores', target, requestedAt, requestKey);
}

/** `<folder>/<subject>.<yyyyMMddTHHmmssZ>.<ms><hash4>.json`: restore and migration records share the layout. */
export function timedRecordName(folder: string, subject: string, at: Date, requestKey: string): string {
  const ms = String(at.getUTCMilliseconds()).padStart(3, '0');
  return `${folder}/${subject}.${formatBackupTime(at)}.${ms}${hash8(requestKey).slice(0, 4)}.json`;
}
