/**
 * The schedule tick: start the backups that are due (by schedule, or after a burst of configuration changes)
 * within the per-subscription limit, and warn about unprotected instances. A sequence of steps (steps/), each
 * handed what the tick has already listed.
 */
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { alertProtection } from './steps/alertProtection';
import { checkArmCircuit } from './steps/checkArmCircuit';
import { findDueBackups } from './steps/findDueBackups';
import { listTick } from './steps/listTick';
import { reconcileAll } from './steps/reconcileAll';
import { startDueBackups } from './steps/startDueBackups';
import { startRestoresDue } from './steps/startRestoresDue';

export interface TickResult {
  due: number;
  started: string[];
  coalesced: string[];
  deferred: string[];
  /** Standby syncs and drills started, as `source→target`. */
  syncs: string[];
  drills: string[];
  /** Running backups, restore records and migration records that had lost their watcher and were adopted again. */
  reconciled: string[];
  /** Subscriptions where ARM does not answer: their new backups wait. */
  armUnreachable: string[];
  /** Due instances whose start failed this tick (logged one by one); they stay due. */
  failed: string[];
}

export async function runScheduleTick(services: Services, starter: OrchestrationStarter, correlationId: string): Promise<TickResult> {
  const listing = await listTick(services, starter, correlationId);
  // Orphans get their watchers before anything new starts: each holds its instance from then on.
  const reconciled = await reconcileAll(services, starter, listing, correlationId);
  const { due, running, notRunning, allowed } = await findDueBackups(services, listing, reconciled.holds);
  const outages = await checkArmCircuit(services, listing, allowed, correlationId);
  const chosen = allowed.filter((d) => !outages[d.service.subscriptionId]);
  await alertProtection(services, listing, outages, correlationId);
  const backups = await startDueBackups(services, starter, chosen, listing.pending, correlationId);
  const restores = await startRestoresDue(services, starter, listing, reconciled.holds, correlationId);

  const result: TickResult = {
    due: due.length,
    started: backups.started,
    coalesced: [...running.map((d) => d.service.name), ...backups.coalesced],
    deferred: notRunning.filter((d) => !chosen.includes(d)).map((d) => d.service.name),
    syncs: restores.syncs,
    drills: restores.drills,
    reconciled: reconciled.names,
    armUnreachable: Object.keys(outages),
    failed: backups.failed,
  };
  services.logger.event('apim-dr.schedule.tick', {
    correlationId,
    due: result.due,
    started: result.started.length,
    coalesced: result.coalesced.length,
    deferred: result.deferred,
    syncs: result.syncs,
    drills: result.drills,
    reconciled: result.reconciled,
    armUnreachable: result.armUnreachable,
    failed: result.failed,
  });
  return result;
}
