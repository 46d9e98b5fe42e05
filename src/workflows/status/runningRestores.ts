/**
 * Restores (and snapshot applies) running into the fleet's instances, with the phase and progress `GET
 * /api/operations/{id}` shows: so that an instance being overwritten says so in the status and on the dashboard, not
 * "protected" with no phase.
 */
import { TARGET_LOCK_PREFIX, targetLockId } from '../../domain/instanceIds';
import { Orchestrations } from '../names';
import { SnapshotOrchestrations } from '../snapshot/names';
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
  /** A snapshot apply holds the instance (its lock), not a native restore: which snapshot. */
  via?: 'snapshot';
  snapshotName?: string;
}

/** Instance name (lower case) → its running restore; one query for the running restores, then their status alone. */
export async function runningRestores(
  starter: OrchestrationStarter | undefined,
  instances: readonly { name: string; id: string }[],
): Promise<Map<string, RestoreProgress>> {
  const found = new Map<string, RestoreProgress>();
  if (!starter) return found;
  const running = new Set(await starter.running(TARGET_LOCK_PREFIX));
  await Promise.all(
    instances.map(async ({ name, id }) => {
      const operation = targetLockId(name, id);
      if (!running.has(operation)) return;
      const status = await operationStatus(starter, operation);
      // A migration runs under the same ID: its own status says how it goes (migrationStatus.ts). A snapshot apply too,
      // and it overwrites the instance as a restore does: shown as one, with its snapshot and its steps done.
      if (!status || !isActive(status.runtimeStatus)) return;
      const apply = status.name === SnapshotOrchestrations.apply;
      if (status.name !== Orchestrations.restore && !apply) return;
      const custom = status.customStatus as { phase?: string; percent?: number; step?: number; of?: number; snapshot?: string } | undefined;
      const percent = apply ? (custom?.step && custom.of ? Math.floor(((custom.step - 1) * 100) / custom.of) : undefined) : custom?.percent;
      found.set(name.toLowerCase(), {
        operation,
        ...(custom?.phase ? { phase: custom.phase } : {}),
        ...(percent !== undefined ? { percent } : {}),
        ...(status.createdTime ? { since: status.createdTime } : {}),
        ...(apply ? { via: 'snapshot' as const, ...(custom?.snapshot ? { snapshotName: custom.snapshot } : {}) } : {}),
      });
    }),
  );
  return found;
}
