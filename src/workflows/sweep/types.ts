/** What flows between the expiry sweep orchestrator and its activities (all JSON). */
import type { Protection } from '../../domain/protection';
import type { SweepItem } from '../../domain/sweepPlan';
import type { DeleteOutcome } from '../../azure/catalog';

export interface SweepRequest {
  dryRun: boolean;
  requestedBy: string;
  /** Limit the sweep to one instance (after its backup); all instances otherwise. */
  service?: string;
}

export interface SweepPlan {
  at: string;
  items: SweepItem[];
  protection: Protection[];
}

export interface SweepApplied {
  deleted: string[];
  archived: string[];
  marked: string[];
  refused: DeleteOutcome['refused'];
  /** Planned, but not apim-dr's when checked right before: left alone. */
  foreign: string[];
}

export interface RenewalResult {
  started: string[];
  coalesced: string[];
}

export interface SweepReport {
  at: string;
  dryRun: boolean;
  plan: SweepItem[];
  protection: Protection[];
  applied?: SweepApplied;
  renewals?: RenewalResult;
  /** Restore records retired (or, in a dry run, that would be). */
  retiredRecords?: string[];
}
