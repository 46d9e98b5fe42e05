/** What flows between the restore orchestrator and its activities (all JSON). */
import type { CompletionWindow } from '../../domain/pollPlan';
import type { Finding } from '../../domain/compatibility';
import type { RestorePurpose, RestoreRecord } from '../../domain/restoreRecord';
import type { RecordedApproval } from '../../domain/recordedApproval';
import type { CheckOutcome } from '../backup/types';

export interface RestoreRequest {
  sourceId: string;
  targetId: string;
  /** A backup name; undefined for the newest restorable backup of the source. */
  backup?: string;
  requestedBy: string;
  correlationId: string;
  purpose: RestorePurpose;
  /** Consent to restore the source into itself. */
  allowInPlace: boolean;
  /** Back the target up first, as the rollback path. */
  preRestoreBackup: boolean;
  /** For a rollback: the record of the restore it undoes. */
  rollbackOf?: string;
  /** The edge's record of this request (`approvals/…`): what the orchestration checks its input against. */
  requestRecord?: string;
  /** Watch this running restore record (its watcher gone) instead of starting a restore: reconciliation. */
  adopt?: { recordName: string; pollIntervalMs: number };
}

export interface PrepareRestoreInput extends RestoreRequest {
  requestedAt: string;
  owner: string;
  /** Who approved it (or the break-glass operator), once the request was verified and approved. */
  approval?: RecordedApproval;
}

export type PrepareRestoreOutput =
  | { status: 'ready'; recordName: string; backupName: string; findings: Finding[]; expectedMs?: number; window?: CompletionWindow }
  | { status: 'refused'; recordName: string; findings: Finding[] };

export interface StartRestoreInput {
  recordName: string;
  /** The pre-restore backup just taken, recorded as the rollback path. */
  preRestoreBackup?: string;
}

export type StartRestoreOutput =
  | { status: 'started'; token?: string; pollIntervalMs: number; retryAfterMs?: number }
  | { status: 'busy'; message: string; retryAfterMs: number }
  /** A user error (a missing role or app setting): retrying would fail again, so the restore fails with it. */
  | { status: 'refused'; code: string; message: string };

export interface FinishRestoreInput {
  recordName: string;
  outcome: Exclude<CheckOutcome, { status: 'running' } | { status: 'lost' } | { status: 'unreachable' }>;
}

export type RestoreSummary = Pick<
  RestoreRecord,
  | 'recordName'
  | 'source'
  | 'target'
  | 'backupName'
  | 'purpose'
  | 'preRestoreBackup'
  | 'state'
  | 'verdict'
  | 'findings'
  | 'error'
  | 'rtoMs'
  | 'verification'
  | 'requestedAt'
  | 'completedAt'
  | 'approval'
>;
