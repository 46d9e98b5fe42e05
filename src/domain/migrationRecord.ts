/**
 * The record of a migration off stv1 (`migrations/<service>.<yyyyMMddTHHmmssZ>.<ms><id>.json`): who, how, the
 * dry run, the pre-migration backup (the way back) and until when it can be restored, durations, the public IPs
 * before and after, and the verification.
 */
import { z } from 'zod';
import { recordedApprovalSchema } from './recordedApproval';
import { findingSchema, timedRecordName } from './restoreRecord';

export const MIGRATION_STATES = ['running', 'succeeded', 'failed', 'refused'] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

/** In place (`migrateToStv2`) or side by side (restore into a new stv2 instance; the source is untouched). */
export const MIGRATION_KINDS = ['in-place', 'side-by-side'] as const;
export type MigrationKind = (typeof MIGRATION_KINDS)[number];

const backupRefSchema = z.object({ backupName: z.string(), expiresAt: z.string() });
const regionIpsSchema = z.record(z.string(), z.array(z.string()));

export const migrationRecordSchema = z.object({
  schemaVersion: z.literal(1),
  recordName: z.string(),
  kind: z.enum(MIGRATION_KINDS),
  service: z.string(),
  serviceId: z.string(),
  /** In place: ARM's mode. */
  mode: z.enum(['PreserveIp', 'NewIP']).optional(),
  /** Side by side: the stv2 instance restored into. */
  target: z.string().optional(),
  targetId: z.string().optional(),
  requestedBy: z.string(),
  /** Who approved it as the second person, or who ran it on break-glass (domain/approvalRecord.ts). */
  approval: recordedApprovalSchema.optional(),
  correlationId: z.string(),
  owner: z.string(),
  requestedAt: z.string(),
  state: z.enum(MIGRATION_STATES),
  verdict: z.string(),
  findings: z.array(findingSchema),
  /** The way back: restorable into another instance until `expiresAt`. */
  preMigrationBackup: backupRefSchema.optional(),
  /** In place: the first backup of the new platform. */
  postMigrationBackup: z.string().optional(),
  /** Side by side: the restore record of the restore into the target. */
  restoreRecord: z.string().optional(),
  /** When the `migrateToStv2` POST went out (set before it is sent, so that it is sent once). */
  startedAt: z.string().optional(),
  operationToken: z.string().optional(),
  completedAt: z.string().optional(),
  durations: z.object({ preMigrationBackupMs: z.number().optional(), migrationMs: z.number().optional(), totalMs: z.number() }).optional(),
  ipsBefore: regionIpsSchema.optional(),
  ipsAfter: regionIpsSchema.optional(),
  verification: z
    .object({
      ok: z.boolean(),
      provisioningState: z.string(),
      platforms: z.record(z.string(), z.string()),
      expected: z.record(z.string(), z.number()),
      actual: z.record(z.string(), z.number()),
    })
    .optional(),
  /** Side by side: what the operator does to cut over, and what a backup did not carry. */
  checklist: z.array(z.string()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export type MigrationRecord = z.output<typeof migrationRecordSchema>;

export function migrationRecordName(service: string, requestedAt: Date, requestKey: string): string {
  return timedRecordName('migrations', service, requestedAt, requestKey);
}

/** The properties every migration log event carries, so that one query follows a migration from start to end. */
export function migrationEventProperties(record: MigrationRecord): Record<string, unknown> {
  const { service, kind, mode, target, correlationId, recordName } = record;
  return { service, kind, mode, target, correlationId, recordName, preMigrationBackup: record.preMigrationBackup?.backupName };
}
