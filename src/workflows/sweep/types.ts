/** What flows between the expiry sweep orchestrator and its activities (all JSON). */
import type { Protection } from '../../domain/protection';
import type { SweepItem } from '../../domain/sweepPlan';
import type { DeleteOutcome } from '../../azure/catalog';
import type { LogsReport } from './retireOperationLogs';
import type { StagingReport } from './sweepStaging';

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
  /**
   * False when the sweep after a backup did not list the instance's catalog: the index showed nothing of it old enough
   * to retire (its items are then empty, as there is nothing to do; the daily sweep plans every entry).
   */
  listed: boolean;
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

/** What the sweep orchestrator hands its planning step: the run (its instance ID) and the scope. */
export interface SweepRunRequest {
  runId: string;
  service?: string;
}

export interface SweepCounts {
  entries: number;
  delete: number;
  archive: number;
  mark: number;
  keep: number;
}

/**
 * The planning step's answer: counts, and for each page of work (SWEEP_CHUNK items, in storage) its digest. Bounded
 * by the number of pages, never by the number of backups: 200 pages for 100,000 backups to act on.
 */
export interface SweepPlanSummary {
  runId: string;
  at: string;
  counts: SweepCounts;
  planPages: number;
  workDigests: string[];
  protectionDigest: string;
  instances: number;
  renew: number;
  rpoBreached: number;
  /** See SweepPlan.listed. */
  listed: boolean;
}

/** One page of work to carry out: which run, which page, and the digest the planner returned for it. */
export interface SweepPageRequest {
  runId: string;
  page: number;
  digest: string;
}

export interface SweepAppliedCounts {
  deleted: number;
  archived: number;
  marked: number;
  refused: number;
  foreign: number;
  /** Pages that were not what the planner wrote: nothing on them was touched. */
  refusedPages: number;
}

/**
 * A snapshot apply record's findings blob (`snapshot-apply-findings/`): `withRecords` went with the records retired,
 * `orphans` were apim-dr's whose record was already gone, `foreign` are not apim-dr's and were left alone. In a dry
 * run, what would go.
 */
export interface ApplyFindingsCounts {
  withRecords: number;
  orphans: number;
  foreign: number;
}

/** The sweep orchestration's output: counts only; the lists are in storage under `report` (see readSweepReport). */
export interface SweepSummary {
  runId: string;
  at: string;
  dryRun: boolean;
  service?: string;
  planned: SweepCounts;
  /** Pages of work the plan had (each SWEEP_CHUNK items at most). */
  workPages: number;
  instances: number;
  rpoBreached: number;
  /** Present (false) only when the catalog was not listed: nothing of the instance was old enough to retire. */
  listed?: false;
  applied?: SweepAppliedCounts;
  renewals?: { started: number; coalesced: number };
  retiredRecords?: number;
  /** Decided approval records retired with them (or that would be). */
  retiredApprovals?: number;
  /** Snapshot apply records' findings blobs: removed with their records, orphans removed, foreign ones left alone. */
  applyFindings?: ApplyFindingsCounts;
  /** The old `state/catalog-index.json`: removed, or left alone as not apim-dr's (absent: not said). */
  legacyIndex?: 'removed' | 'foreign';
  /** Operations whose event logs were retired (or would be), their blobs, old ones a record still names, foreign blobs. */
  logs?: { operations: number; blobs: number; named: number; foreign: number };
  /** Staged runs (snapshot parts, apply plans) left by dead runs: removed (or, in a dry run, that would be). */
  staging?: { removedRuns: number; removedBlobs: number; kept: number; foreign: number };
  /** The blob folder holding this run's plan and outcome. */
  report: string;
}

/** The full report with every list: the CLI's, and readSweepReport's from a run's parts. */
export interface SweepReport {
  at: string;
  dryRun: boolean;
  plan: SweepItem[];
  protection: Protection[];
  applied?: SweepApplied;
  renewals?: RenewalResult;
  /** Restore and migration records retired (or, in a dry run, that would be). */
  retiredRecords?: string[];
  /** Approval records retired with them (or that would be). */
  retiredApprovals?: string[];
  /** Findings blobs of snapshot apply records (counts: they go with records, listed above). */
  applyFindings?: ApplyFindingsCounts;
  legacyIndex?: SweepSummary['legacyIndex'];
  /** What the operation logs' step retired (counts: a day's logs are too many to list). */
  logs?: LogsReport;
  /** What the staging step removed, kept and left alone as not apim-dr's. */
  staging?: StagingReport;
}
