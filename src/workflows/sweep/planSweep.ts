/** Activity: list the catalog once, plan the sweep and assess each instance's protection from that listing. */
import { resolveService } from '../../config/resolveService';
import { planExpirySweep, type SweepPolicy } from '../../domain/sweepPlan';
import type { Services } from '../../services';
import { assessFleet } from '../status/assessFleet';
import type { SweepPlan } from './types';

const REFUSAL_BACKOFF_MS = 7 * 86_400_000;

export function sweepPolicy(services: Services): SweepPolicy {
  const { defaults } = services.config;
  return { retentionMs: defaults.retention, expiredAction: defaults.expiredAction, refusalBackoffMs: REFUSAL_BACKOFF_MS };
}

export async function planSweep(services: Services, service?: string): Promise<SweepPlan> {
  const now = services.clock.now();
  const name = service ? resolveService(services.config, service).ref.name : undefined;
  const entries = await services.catalog.list(name);
  return { at: now.toISOString(), items: planExpirySweep(entries, now, sweepPolicy(services)), protection: assessFleet(services, entries, now, name) };
}
