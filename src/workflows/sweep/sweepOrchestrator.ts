/** Orchestrator: the expiry sweep. Plan from one listing, apply in chunks, renew what needs it. Deterministic. */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { activityRetry, setPhase } from '../operation';
import { Activities } from '../names';
import type { RenewalResult, SweepApplied, SweepPlan, SweepReport, SweepRequest } from './types';

/** Items per applySweep call: a few seconds of storage work at most. */
export const SWEEP_CHUNK = 500;

export const sweepOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<SweepRequest>();
  const retry = activityRetry();
  const plan: SweepPlan = yield context.df.callActivityWithRetry(Activities.planSweep, retry, request.service);
  const report: SweepReport = { at: plan.at, dryRun: request.dryRun, plan: plan.items, protection: plan.protection };
  // Records are the whole container's: the daily sweep retires them, not the one after each backup.
  const retireRecords = (dryRun: boolean) => context.df.callActivityWithRetry(Activities.retireRecords, retry, dryRun);
  if (request.dryRun) {
    if (!request.service) report.retiredRecords = (yield retireRecords(true)) as string[];
    return report;
  }

  const work = plan.items.filter((i) => i.action !== 'keep' || i.markExpired);
  const applied: SweepApplied = { deleted: [], archived: [], marked: [], refused: [], foreign: [] };
  for (let i = 0; i < work.length; i += SWEEP_CHUNK) {
    setPhase(context, { phase: 'applying', done: i, of: work.length });
    const part: SweepApplied = yield context.df.callActivityWithRetry(Activities.applySweep, retry, work.slice(i, i + SWEEP_CHUNK));
    applied.deleted.push(...part.deleted);
    applied.archived.push(...part.archived);
    applied.marked.push(...part.marked);
    applied.refused.push(...part.refused);
    applied.foreign.push(...part.foreign);
  }
  report.applied = applied;
  if (!request.service) {
    setPhase(context, { phase: 'applying', records: true });
    report.retiredRecords = (yield retireRecords(false)) as string[];
  }
  if (plan.protection.some((p) => p.renew)) {
    setPhase(context, { phase: 'renewing' });
    report.renewals = (yield context.df.callActivityWithRetry(Activities.renewBackups, retry, plan.protection)) as RenewalResult;
  }
  return report;
};
