/**
 * Activities: a sweep run's record retirement and renewals, each keeping its list in the run's storage and
 * answering the orchestration with a count.
 */
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { renewBackups } from './renewBackups';
import { retireApprovals } from './retireApprovals';
import { retireOperationLogs } from './retireOperationLogs';
import { retireLegacyIndex, retireRecordsWithFindings } from './retireRecords';
import type { SweepSummary } from './types';
import { part, protectionPartSchema } from './runParts';

export interface RunRecordsRequest {
  runId: string;
  dryRun: boolean;
}

/** What the records step retired: counts to the orchestration (its summary), the names in the run's parts. */
export type RecordsStepCounts = Pick<SweepSummary, 'retiredRecords' | 'retiredApprovals' | 'applyFindings' | 'legacyIndex'>;

export async function retireRecordsForRun(services: Services, request: RunRecordsRequest): Promise<RecordsStepCounts> {
  const dryRun = request.dryRun === true;
  const { names, applyFindings } = await retireRecordsWithFindings(services, dryRun);
  // Approval records go with the records they gate, under the same retention; reported apart (part.approvals).
  const approvals = await retireApprovals(services, dryRun);
  const legacyIndex = await retireLegacyIndex(services, dryRun);
  await services.sweepRuns.write(request.runId, part.records, { names }, services.clock.now());
  await services.sweepRuns.write(request.runId, part.approvals, { names: approvals }, services.clock.now());
  return { retiredRecords: names.length, retiredApprovals: approvals.length, applyFindings, ...(legacyIndex ? { legacyIndex } : {}) };
}

/** Operation logs go after the records (a record retired today frees its log today): counts to the orchestration. */
export async function retireOperationLogsForRun(services: Services, request: RunRecordsRequest): Promise<SweepSummary['logs']> {
  const report = await retireOperationLogs(services, request.dryRun === true);
  await services.sweepRuns.write(request.runId, part.logs, report, services.clock.now());
  return { operations: report.operations, blobs: report.blobs, named: report.named, foreign: report.foreign };
}

export interface RunRenewalsRequest {
  runId: string;
  /** The digest the planning step returned for the run's protection assessment. */
  digest: string;
}

/** Renews what the run's own assessment says needs it; an assessment that is not the planner's is refused. */
export async function renewBackupsForRun(
  services: Services,
  starter: OrchestrationStarter,
  request: RunRenewalsRequest,
): Promise<{ started: number; coalesced: number }> {
  const { protection } = await services.sweepRuns.readVerified(request.runId, part.protection, request.digest, protectionPartSchema);
  const result = await renewBackups(services, starter, protection);
  await services.sweepRuns.write(request.runId, part.renewals, result, services.clock.now());
  return { started: result.started.length, coalesced: result.coalesced.length };
}
