/** Activity: list the catalog once, plan the sweep and assess each instance's protection from that listing. */
import { resolveService } from '../../config/resolveService';
import type { Config } from '../../config/schema';
import { parseServiceId } from '../../domain/resourceId';
import { isWork, planExpirySweep, sweepDueAt, sweepHorizon, type SweepPolicy } from '../../domain/sweepPlan';
import type { Services } from '../../services';
import { assessFleet } from '../status/assessFleet';
import type { SweepPlan } from './types';

const REFUSAL_BACKOFF_MS = 7 * 86_400_000;

export function sweepPolicy(services: Services): SweepPolicy {
  const { defaults } = services.config;
  return { retentionMs: defaults.retention, expiredAction: defaults.expiredAction, refusalBackoffMs: REFUSAL_BACKOFF_MS };
}

/**
 * `retired`: names of instances no longer configured whose backups the operator asks to sweep (besides the config's
 * `retired`); the backups of any other instance the config does not name are never swept.
 */
export async function planSweep(services: Services, service?: string, retired: readonly string[] = []): Promise<SweepPlan> {
  const now = services.clock.now();
  const name = service ? resolveService(services.config, service).ref.name : undefined;
  if (name) {
    // After a backup: when the index shows nothing of this instance old enough to retire, the plan has no work and
    // the instance's history need not be listed. Skipping only ever postpones work to the daily sweep, which lists all.
    const indexed = await services.catalogIndex.instance(name);
    if (indexed?.sweepHorizon !== undefined && now.getTime() < sweepDueAt(indexed.sweepHorizon, sweepPolicy(services).retentionMs)) {
      return { at: now.toISOString(), items: [], protection: assessFleet(services, indexed.entries, now, name), listed: false };
    }
  }
  const { entries, foreign } = await services.catalog.scan(name);
  // The daily walk of the whole catalog: the index the tick and the status read is rebuilt from it.
  if (!name) await services.catalogIndex.rebuild(entries);
  if (foreign.length) {
    services.logger.event('apim-dr.catalog.foreign', { count: foreign.length, examples: foreign.slice(0, 5), action: 'left alone' }, 'warn');
  }
  const sweepable = new Set([...configuredInstanceNames(services.config), ...services.config.retired, ...retired].map((n) => n.toLowerCase()));
  const items = planExpirySweep(
    entries.filter((e) => sweepable.has(e.service.toLowerCase())),
    now,
    sweepPolicy(services),
  );
  // Nothing to do: the index can say so until the next entry is due. With work to do, the apply step says it after.
  if (name && !items.some(isWork))
    await services.catalogIndex.recordSweepHorizon(name, sweepHorizon(entries.filter((e) => e.service.toLowerCase() === name.toLowerCase())));
  return { at: now.toISOString(), items, protection: assessFleet(services, entries, now, name), listed: true };
}

/** Every instance the config names: protected ones, their standbys and drill targets. */
export function configuredInstanceNames(config: Config): string[] {
  return config.services
    .flatMap((s) => [s.id, ...s.standbys.map((standby) => standby.id), ...(s.drill ? [s.drill.target] : [])])
    .map((id) => parseServiceId(id)?.name ?? id);
}
