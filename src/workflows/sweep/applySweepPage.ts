/**
 * Activity: carry out one page of a sweep run's plan. It takes no list from its input: it reads the page the run's
 * own planning step wrote, checks it is exactly that (digest, schema, run and page), plans each item's instance again
 * and keeps only what that decides too, and applySweep checks each backup's ownership right before touching it. A
 * page that fails these checks is refused whole and logged.
 */
import { AzureError } from '../../errors';
import type { Services } from '../../services';
import { FORGED } from '../../azure/sweepRunStore';
import { applySweep } from './applySweep';
import { replanItems } from './replan';
import { part, planPageSchema } from './runParts';
import type { SweepAppliedCounts, SweepPageRequest } from './types';

export async function applySweepPage(services: Services, request: SweepPageRequest): Promise<SweepAppliedCounts> {
  const { runId, page, digest } = request;
  let items;
  try {
    if (typeof runId !== 'string' || !Number.isInteger(page) || page < 0 || typeof digest !== 'string') {
      throw new AzureError(`a sweep page request names a run, a page number and a digest (got ${JSON.stringify(request)?.slice(0, 200)})`, FORGED);
    }
    const stored = await services.sweepRuns.readVerified(runId, part.work(page), digest, planPageSchema);
    if (stored.runId !== runId || stored.page !== page) {
      throw new AzureError(`sweep page '${part.work(page)}' of run '${runId}' says it is page ${stored.page} of run '${stored.runId}'`, FORGED);
    }
    items = stored.items;
  } catch (err) {
    if (!(err instanceof AzureError && err.code === FORGED)) throw err;
    services.logger.event('apim-dr.sweep.page-refused', { runId: String(runId), page: Number(page), reason: err.message, action: 'nothing deleted' }, 'warn');
    return { deleted: 0, archived: 0, marked: 0, refused: 0, foreign: 0, refusedPages: 1 };
  }
  // Ownership is checked again right before each touch (applySweep); the action itself is decided again here.
  const { confirmed, listed } = await replanItems(services, items);
  const applied = await applySweep(services, confirmed, listed);
  await services.sweepRuns.write(runId, part.applied(page), applied, services.clock.now());
  return {
    deleted: applied.deleted.length,
    archived: applied.archived.length,
    marked: applied.marked.length,
    refused: applied.refused.length,
    foreign: applied.foreign.length,
    refusedPages: 0,
  };
}
