/**
 * Activity: plan a sweep run and keep the plan in storage, in pages, keyed by the run's instance ID. The
 * orchestration gets counts and one digest per page of work: its payloads stay small however large the catalog.
 */
import { isWork, type SweepItem } from '../../domain/sweepPlan';
import type { Services } from '../../services';
import { planSweep } from './planSweep';
import { part } from './runParts';
import type { SweepCounts, SweepPlanSummary, SweepRunRequest } from './types';

/** Items per page of work (one applySweep call: a few seconds of storage work at most). */
export const SWEEP_CHUNK = 500;
/** Items per page of the reported plan (all items, kept ones too). */
export const PLAN_PAGE = 5_000;
/** Run folders older than this are pruned by the fleet sweep. */
export const RUN_KEEP_MS = 7 * 86_400_000;

export async function planSweepRun(services: Services, request: SweepRunRequest): Promise<SweepPlanSummary> {
  const { runId } = request;
  const plan = await planSweep(services, request.service);
  const at = new Date(plan.at);
  const store = services.sweepRuns;
  if (!request.service) await store.prune(new Date(at.getTime() - RUN_KEEP_MS));

  // By instance, so that each page touches few instances: the apply step lists each one it touches to plan again.
  const work = plan.items.filter(isWork).sort((a, b) => a.service.localeCompare(b.service) || a.createdAt.localeCompare(b.createdAt));
  const workDigests: string[] = [];
  for (let page = 0; page * SWEEP_CHUNK < work.length; page++) {
    const items = work.slice(page * SWEEP_CHUNK, (page + 1) * SWEEP_CHUNK);
    workDigests.push((await store.write(runId, part.work(page), { runId, page, items }, at)).digest);
  }
  let planPages = 0;
  for (; planPages * PLAN_PAGE < plan.items.length; planPages++) {
    const items = plan.items.slice(planPages * PLAN_PAGE, (planPages + 1) * PLAN_PAGE);
    await store.write(runId, part.plan(planPages), { runId, page: planPages, items }, at);
  }
  const protectionDigest = (await store.write(runId, part.protection, { runId, protection: plan.protection }, at)).digest;
  return {
    runId,
    at: plan.at,
    counts: countItems(plan.items),
    planPages,
    workDigests,
    protectionDigest,
    instances: plan.protection.length,
    renew: plan.protection.filter((p) => p.renew).length,
    rpoBreached: plan.protection.filter((p) => p.rpoBreached).length,
    listed: plan.listed,
  };
}

function countItems(items: SweepItem[]): SweepCounts {
  const counts: SweepCounts = { entries: items.length, delete: 0, archive: 0, mark: 0, keep: 0 };
  for (const item of items) {
    if (item.action === 'delete') counts.delete += 1;
    else if (item.action === 'archive') counts.archive += 1;
    else if (item.markExpired) counts.mark += 1;
    else counts.keep += 1;
  }
  return counts;
}
