/** Activity: list the catalog once, plan the sweep and assess each instance's protection from that listing. */
import { resolveService } from '../../config/resolveService';
import type { Config } from '../../config/schema';
import { parseServiceId } from '../../domain/resourceId';
import { planExpirySweep, type SweepPolicy } from '../../domain/sweepPlan';
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
  return { at: now.toISOString(), items, protection: assessFleet(services, entries, now, name) };
}

/** Every instance the config names: protected ones, their standbys and drill targets. */
export function configuredInstanceNames(config: Config): string[] {
  return config.services
    .flatMap((s) => [s.id, ...s.standbys.map((standby) => standby.id), ...(s.drill ? [s.drill.target] : [])])
    .map((id) => parseServiceId(id)?.name ?? id);
}
