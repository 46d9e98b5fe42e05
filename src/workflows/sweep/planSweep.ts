/** Activity: list the catalog once and plan the sweep, and assess each instance's protection. */
import { formatDuration } from '../../domain/duration';
import { protectedServices, resolveService } from '../../config/resolveService';
import { assessProtection, type Protection } from '../../domain/protection';
import { planExpirySweep, type SweepPolicy } from '../../domain/sweepPlan';
import type { CatalogEntry } from '../../azure/catalog';
import type { Services } from '../../services';
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

/** Protection of every configured instance (or one), from a catalog listing sorted newest first. */
export function assessFleet(services: Services, entries: CatalogEntry[], now: Date, only?: string): Protection[] {
  const { defaults } = services.config;
  return protectedServices(services.config)
    .filter((s) => s.config.enabled && (!only || s.ref.name.toLowerCase() === only.toLowerCase()))
    .map((s) =>
      assessProtection(
        s.ref.name,
        entries.filter((e) => e.service.toLowerCase() === s.ref.name.toLowerCase()),
        now,
        { rpoMs: s.rpoMs, renewBeforeMs: defaults.renewBefore, restoreMarginMs: defaults.restoreMargin },
      ),
    );
}

/** Structured warnings for alert rules on every call; notifications once per incident and once on recovery. */
export async function emitProtectionAlerts(services: Services, protection: Protection[], correlationId: string): Promise<void> {
  const at = services.clock.now().toISOString();
  for (const p of protection) {
    if (!p.restorable) {
      services.logger.event('apim-dr.restorable.none', { service: p.service, correlationId }, 'warn');
    } else if (p.rpoBreached) {
      services.logger.event('apim-dr.rpo.breach', { service: p.service, newestBackup: p.newestRestorable?.backupName, ageMs: p.ageMs, correlationId }, 'warn');
    }
  }
  services.telemetry.backupAges(protection.map((p) => ({ service: p.service, ageMs: p.ageMs })));
  await services.notifier.observe(
    protection.flatMap((p) => [
      { kind: 'restorable.none' as const, subject: p.service, active: !p.restorable, at },
      {
        kind: 'rpo.breach' as const,
        subject: p.service,
        active: p.restorable && p.rpoBreached,
        at,
        detail: p.ageMs === undefined ? undefined : `newest restorable backup is ${formatDuration(p.ageMs)} old`,
      },
    ]),
  );
}
