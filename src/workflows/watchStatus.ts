/**
 * What `GET /api/operations/{id}`, the status and the CLI show of a running operation: while it waits on its watch
 * (watch.ts), the watch's progress (polls, percent, outage) instead of its own. No Durable SDK here: the status and the
 * CLI's in-process reads load this without it.
 */
import { isActive, type OrchestrationStatus, type OrchestrationStarter, type RuntimeStatus } from './starter';

/** An operation's status; while it watches, with the watch's custom status (polls, percent, outage) instead of its own. */
export async function operationStatus(starter: OrchestrationStarter, instanceId: string): Promise<OrchestrationStatus | undefined> {
  const status = await starter.status(instanceId);
  const watching = status && watchOf(status);
  const shown = watching && watchStatus(await starter.status(watching));
  return shown ? { ...status, customStatus: shown } : status;
}

/** The ID of the watch a running operation waits on, if it waits on one. */
export function watchOf(operation: { runtimeStatus: RuntimeStatus; customStatus?: unknown }): string | undefined {
  const watching = (operation.customStatus as { watch?: unknown } | undefined)?.watch;
  return isActive(operation.runtimeStatus) && typeof watching === 'string' ? watching : undefined;
}

/** A watch's custom status while it runs: what the operation's status shows meanwhile. */
export function watchStatus(watch: { runtimeStatus: RuntimeStatus; customStatus?: unknown } | undefined): unknown {
  return watch && isActive(watch.runtimeStatus) ? watch.customStatus : undefined;
}
