/**
 * Restores running into the fleet's instances, with the phase and progress `GET /api/operations/{id}` shows: so that
 * an instance being overwritten says so in the status and on the dashboard, not "protected" with no phase.
 */
import { targetLockId } from '../../domain/instanceIds';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';
import { isActive } from '../starter';
import { operationStatus } from '../watchStatus';

export interface RestoreProgress {
  /** The restore's operation ID. */
  operation: string;
  phase?: string;
  /** Only where the target's own earlier restores give one (domain/restoreProgress.ts). */
  percent?: number;
  /** When the operation started. */
  since?: string;
}

/** Instance name (lower case) → its running restore; one query for the running restores, then their status alone. */
export async function runningRestores(
  starter: OrchestrationStarter | undefined,
  instances: readonly { name: string; id: string }[],
): Promise<Map<string, RestoreProgress>> {
  const found = new Map<string, RestoreProgress>();
  if (!starter) return found;
  const running = new Set(await starter.running('restore-'));
  await Promise.all(
    instances.map(async ({ name, id }) => {
      const operation = targetLockId(name, id);
      if (!running.has(operation)) return;
      const status = await operationStatus(starter, operation);
      // A migration runs under the same ID: its own status says how it goes (migrationStatus.ts).
      if (!status || status.name !== Orchestrations.restore || !isActive(status.runtimeStatus)) return;
      const custom = status.customStatus as { phase?: string; percent?: number } | undefined;
      found.set(name.toLowerCase(), {
        operation,
        ...(custom?.phase ? { phase: custom.phase } : {}),
        ...(custom?.percent !== undefined ? { percent: custom.percent } : {}),
        ...(status.createdTime ? { since: status.createdTime } : {}),
      });
    }),
  );
  return found;
}
