/**
 * Orchestrator: the expiry sweep. The planning step writes the plan to storage in pages keyed by this run's
 * instance ID and answers with counts and a digest per page; each apply step reads its page back (checked against
 * that digest) and acts on it. No list of backups travels in a payload, and nothing from this orchestration's input
 * decides what is deleted. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { activityRetry, setPhase } from '../operation';
import { Activities } from '../names';
import type { RecordsStepCounts, RunRecordsRequest, RunRenewalsRequest } from './sweepRunSteps';
import type { SweepStagingRequest } from './sweepStaging';
import { SweepRunStore } from '../../azure/sweepRunStore';
import type { SweepAppliedCounts, SweepPageRequest, SweepPlanSummary, SweepRequest, SweepRunRequest, SweepSummary } from './types';

export { SWEEP_CHUNK } from './planSweepRun';

export const sweepOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<SweepRequest>();
  // Only these two fields of the input are read; anything else in it is ignored.
  const dryRun = request?.dryRun !== false;
  const service = typeof request?.service === 'string' ? request.service : undefined;
  const runId = context.df.instanceId;
  const retry = activityRetry();
  const planRequest: SweepRunRequest = { runId, ...(service ? { service } : {}) };
  const plan: SweepPlanSummary = yield context.df.callActivityWithRetry(Activities.planSweep, retry, planRequest);
  const summary: SweepSummary = {
    runId,
    at: plan.at,
    dryRun,
    ...(service ? { service } : {}),
    planned: plan.counts,
    workPages: plan.workDigests.length,
    instances: plan.instances,
    rpoBreached: plan.rpoBreached,
    ...(plan.listed === false ? { listed: false as const } : {}),
    report: SweepRunStore.folder(runId),
  };
  // Records are the whole container's: the daily sweep retires them, not the one after each backup.
  const retireRecords = (recordsDryRun: boolean) => {
    const input: RunRecordsRequest = { runId, dryRun: recordsDryRun };
    return context.df.callActivityWithRetry(Activities.retireRecords, retry, input);
  };
  // Operation logs after the records: a record retired first no longer keeps its operation's log.
  const retireLogs = (logsDryRun: boolean) => {
    const input: RunRecordsRequest = { runId, dryRun: logsDryRun };
    return context.df.callActivityWithRetry(Activities.retireOperationLogs, retry, input);
  };
  // Staged parts and plans of snapshot runs that died: the whole container's, as records are.
  const sweepStaging = (stagingDryRun: boolean) => {
    const input: SweepStagingRequest = { runId, dryRun: stagingDryRun };
    return context.df.callActivityWithRetry(Activities.sweepStaging, retry, input);
  };
  if (dryRun) {
    if (!service) {
      Object.assign(summary, (yield retireRecords(true)) as RecordsStepCounts);
      summary.logs = (yield retireLogs(true)) as SweepSummary['logs'];
      summary.staging = (yield sweepStaging(true)) as SweepSummary['staging'];
    }
    return summary;
  }

  const applied: SweepAppliedCounts = { deleted: 0, archived: 0, marked: 0, refused: 0, foreign: 0, refusedPages: 0 };
  for (const [page, digest] of plan.workDigests.entries()) {
    setPhase(context, { phase: 'applying', page, of: plan.workDigests.length });
    const input: SweepPageRequest = { runId, page, digest };
    const part: SweepAppliedCounts = yield context.df.callActivityWithRetry(Activities.applySweep, retry, input);
    for (const key of Object.keys(applied) as (keyof SweepAppliedCounts)[]) applied[key] += part[key];
  }
  summary.applied = applied;
  if (!service) {
    setPhase(context, { phase: 'applying', records: true });
    Object.assign(summary, (yield retireRecords(false)) as RecordsStepCounts);
    summary.logs = (yield retireLogs(false)) as SweepSummary['logs'];
    summary.staging = (yield sweepStaging(false)) as SweepSummary['staging'];
  }
  if (plan.renew > 0) {
    setPhase(context, { phase: 'renewing' });
    const input: RunRenewalsRequest = { runId, digest: plan.protectionDigest };
    summary.renewals = (yield context.df.callActivityWithRetry(Activities.renewBackups, retry, input)) as SweepSummary['renewals'];
  }
  return summary;
};
