/** What flows between the backup orchestrator and its activities (all JSON). */
import type { BackupTrigger } from '../../domain/backupName';
import type { BackupState } from '../../domain/manifest';
import type { CompletionWindow } from '../../domain/pollPlan';
import type { Unreachable } from '../operation';

export interface BackupRequest {
  serviceId: string;
  trigger: BackupTrigger;
  requestedBy: string;
  correlationId: string;
  /** For event-triggered backups: how many changes, and the ids of the first few. */
  events?: { count: number; ids: string[] };
  /** Watch this catalogued backup (running, its watcher gone) instead of starting one: reconciliation. */
  adopt?: { backupName: string; pollIntervalMs: number };
}

export interface StartBackupInput extends BackupRequest {
  /** The orchestration's own clock at its start: fixes the backup name across replays and re-runs. */
  requestedAt: string;
  /** Orchestration instance + start time: lets a re-run activity recognise the record it wrote. */
  owner: string;
}

/** For the watch's poll plan, from the instance's recent backups: where they finished, and their median duration. */
export interface WatchPlan {
  window?: CompletionWindow;
  expectedMs?: number;
}

export type StartBackupOutput =
  | ({ status: 'started'; backupName: string; token?: string; pollIntervalMs: number; retryAfterMs?: number } & WatchPlan)
  | { status: 'busy'; backupName: string; message: string; retryAfterMs: number }
  | { status: 'refused'; backupName: string; code: string; message: string };

export interface CheckBackupInput {
  serviceId: string;
  backupName: string;
  token?: string;
}

export type CheckOutcome =
  | { status: 'running'; retryAfterMs?: number }
  | { status: 'succeeded' }
  | { status: 'failed'; code: string; message: string }
  /** Only for an adopted operation: the instance is idle and our blob was never written. */
  | { status: 'lost' }
  /** ARM or storage could not be asked: says nothing about the operation. */
  | Unreachable;

export interface FinishBackupInput {
  serviceId: string;
  backupName: string;
  outcome: Exclude<CheckOutcome, { status: 'running' } | { status: 'lost' } | Unreachable>;
}

export interface BackupSummary {
  backupName: string;
  service: string;
  state: BackupState;
  trigger: BackupTrigger;
  createdAt?: string;
  expiresAt?: string;
  completedAt?: string;
  blobSize?: number;
  error?: { code: string; message: string };
}
