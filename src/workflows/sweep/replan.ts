/**
 * The apply step's own judgement: each planned item is kept only when planning its instance again, from a fresh
 * listing of that instance's catalog, reaches the same action. A page that was forged or went stale can then only
 * ask for what the sweep would decide itself right now; everything else is left alone and logged.
 */
import type { CatalogEntry } from '../../azure/catalog';
import { planExpirySweep, type SweepItem } from '../../domain/sweepPlan';
import type { Services } from '../../services';
import { configuredInstanceNames, sweepPolicy } from './planSweep';

/** The confirmed items, and the fresh listing of each instance planned again (lower-case name → its entries). */
export async function replanItems(services: Services, items: SweepItem[]): Promise<{ confirmed: SweepItem[]; listed: Map<string, CatalogEntry[]> }> {
  const now = services.clock.now();
  const sweepable = new Set([...configuredInstanceNames(services.config), ...services.config.retired].map((n) => n.toLowerCase()));
  const decided = new Map<string, SweepItem>();
  const listed = new Map<string, CatalogEntry[]>();
  for (const service of new Set(items.map((i) => i.service.toLowerCase()))) {
    if (!sweepable.has(service)) continue;
    const { entries } = await services.catalog.scan(service);
    listed.set(service, entries);
    for (const item of planExpirySweep(entries, now, sweepPolicy(services))) decided.set(item.backupName, item);
  }
  const confirmed: SweepItem[] = [];
  for (const item of items) {
    const again = decided.get(item.backupName);
    if (again && again.action === item.action && again.markExpired === item.markExpired && again.service.toLowerCase() === item.service.toLowerCase()) {
      confirmed.push(again);
      continue;
    }
    services.logger.event(
      'apim-dr.sweep.not-replanned',
      { backupName: item.backupName, planned: item.action, now: again ? again.action : 'not sweepable', action: 'left alone' },
      'warn',
    );
  }
  return { confirmed, listed };
}
