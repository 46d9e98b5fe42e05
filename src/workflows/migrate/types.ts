/** What flows between the migration orchestrator and its activities (all JSON). */
import type { Finding } from '../../domain/compatibility';
import type { MigrationMode } from '../../domain/migration';
import type { MigrationKind, MigrationRecord } from '../../domain/migrationRecord';
import type { RecordedApproval } from '../../domain/recordedApproval';
import type { CheckOutcome } from '../backup/types';

export interface MigrationRequest {
  kind: MigrationKind;
  /** Reconciliation: watch this running in-place migration record (its watcher gone) instead of starting one. */
  adopt?: { recordName: string; pollIntervalMs: number };
  serviceId: string;
  /** In place: ARM's mode. */
  mode: MigrationMode;
  /** Side by side: the stv2 instance to restore into. */
  targetId?: string;
  requestedBy: string;
  correlationId: string;
  /** The edge's record of this request (`approvals/…`): what the orchestration checks its input against. */
  requestRecord?: string;
}

export interface PrepareMigrationInput extends MigrationRequest {
  requestedAt: string;
  owner: string;
  /** Who approved it (or the break-glass operator), once the request was verified and approved. */
  approval?: RecordedApproval;
}

export type PrepareMigrationOutput =
  { status: 'ready'; recordName: string; findings: Finding[]; expectedMs?: number } | { status: 'refused'; recordName: string; findings: Finding[] };

export interface StartMigrationInput {
  recordName: string;
  /** The way back, recorded with the mark before the POST: it is known even if this orchestration is lost. */
  preMigrationBackup: { backupName: string; expiresAt: string };
}

export type StartMigrationOutput =
  | { status: 'started'; token?: string; pollIntervalMs: number; retryAfterMs?: number }
  | { status: 'busy'; message: string; retryAfterMs: number }
  /** ARM refused it (already on stv2, …) or a user error: nothing ran, so the migration fails with it. */
  | { status: 'refused'; code: string; message: string };

export type MigrationOutcome = Exclude<CheckOutcome, { status: 'lost' }>;

export type MigrationVerification = NonNullable<MigrationRecord['verification']> & { ipsAfter: Record<string, string[]> };

export interface FinishMigrationInput {
  recordName: string;
  outcome: Exclude<MigrationOutcome, { status: 'running' } | { status: 'unreachable' }>;
  preMigrationBackup?: { backupName: string; expiresAt: string; durationMs: number };
  verification?: MigrationVerification;
  postMigrationBackup?: string;
  /** Side by side: the restore into the target. */
  restoreRecord?: string;
}

export type MigrationSummary = Pick<
  MigrationRecord,
  | 'recordName'
  | 'kind'
  | 'service'
  | 'mode'
  | 'target'
  | 'state'
  | 'verdict'
  | 'findings'
  | 'preMigrationBackup'
  | 'postMigrationBackup'
  | 'restoreRecord'
  | 'durations'
  | 'ipsBefore'
  | 'ipsAfter'
  | 'verification'
  | 'checklist'
  | 'error'
  | 'requestedAt'
  | 'completedAt'
  | 'approval'
>;
