/** Each configured instance's protection, from one catalog listing, and the alerts and notifications it raises. */
import type { CatalogEntry } from '../../azure/catalog';
import { protectedServices } from '../../config/resolveService';
import { formatDuration } from '../../domain/duration';
import { groupBy } from '../../domain/groupBy';
import type { Closure } from '../../domain/incidents';
import { assessProtection, type Protection } from '../../domain/protection';
import type { Services } from '../../services';

/** Protection of every configured instance (or one), from a catalog listing sorted newest first. */
export function assessFleet(services: Services, entries: CatalogEntry[], now: Date, only?: string): Protection[] {
  const { defaults } = services.config;
  // One pass over the listing, not one per instance: a fleet's listing has tens of thousands of entries.
  const byService = groupBy(entries, (e) => e.service.toLowerCase());
  return protectedServices(services.config)
    .filter((s) => s.config.enabled && (!only || s.ref.name.toLowerCase() === only.toLowerCase()))
    .map((s) =>
      assessProtection(s.ref.name, byService.get(s.ref.name.toLowerCase()) ?? [], now, {
        rpoMs: s.rpoMs,
        renewBeforeMs: defaults.renewBefore,
        restoreMarginMs: defaults.restoreMargin,
      }),
    );
}

/**
 * Structured warnings for alert rules on every call; notifications once per incident and once on recovery, except
 * for the `quiet` instances (their subscription's ARM outage is the incident meanwhile).
 */
export async function emitProtectionAlerts(
  services: Services,
  protection: Protection[],
  correlationId: string,
  quiet: ReadonlySet<string> = new Set(),
  /** Closures observed in the same update of the incident book (the tick's, of instances gone from the fleet). */
  closures: readonly Closure[] = [],
): Promise<void> {
  const at = services.clock.now().toISOString();
  for (const p of protection) {
    if (!p.restorable) {
      services.logger.event('apim-dr.restorable.none', { service: p.service, correlationId }, 'warn');
    } else if (p.rpoBreached) {
      services.logger.event('apim-dr.rpo.breach', { service: p.service, newestBackup: p.newestRestorable?.backupName, ageMs: p.ageMs, correlationId }, 'warn');
    }
  }
  services.telemetry.backupAges(protection.map((p) => ({ service: p.service, ageMs: p.ageMs })));
  await services.notifier.observe([
    ...protection
      .filter((p) => !quiet.has(p.service.toLowerCase()))
      .flatMap((p) => [
        { kind: 'restorable.none' as const, subject: p.service, active: !p.restorable, at },
        {
          kind: 'rpo.breach' as const,
          subject: p.service,
          active: p.restorable && p.rpoBreached,
          at,
          detail: p.ageMs === undefined ? undefined : `newest restorable backup is ${formatDuration(p.ageMs)} old`,
        },
      ]),
    ...closures,
  ]);
}
