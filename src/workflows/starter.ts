/** The port through which src/ starts and inspects orchestrations; functions/ and the local host supply it. */
import { ensureError } from '../errors';
// Types only: importing this port must not load durable-functions (the CLI's remote mode and --help never need it).
import type { DurableClient, OrchestrationRuntimeStatus } from 'durable-functions';

export type RuntimeStatus = 'Running' | 'Pending' | 'Completed' | 'Failed' | 'Terminated' | 'ContinuedAsNew' | 'Suspended' | 'Canceled' | 'Unknown';

export interface OrchestrationStatus {
  instanceId: string;
  name: string;
  runtimeStatus: RuntimeStatus;
  createdTime?: string;
  lastUpdatedTime?: string;
  customStatus?: unknown;
  output?: unknown;
}

export interface OrchestrationStarter {
  /** Starts `name` as `instanceId` unless that instance is already running, in which case the request is coalesced. */
  start(name: string, instanceId: string, input: unknown): Promise<{ started: boolean }>;
  status(instanceId: string): Promise<OrchestrationStatus | undefined>;
  /** Instance IDs of running or pending orchestrations whose ID starts with `prefix`. */
  running(prefix: string): Promise<string[]>;
  /** Raises an external event on a running orchestration (an approval); the orchestration checks what it means. */
  raiseEvent(instanceId: string, name: string, data: unknown): Promise<void>;
}

const ACTIVE: RuntimeStatus[] = ['Running', 'Pending', 'ContinuedAsNew', 'Suspended'];

export function isActive(status: RuntimeStatus): boolean {
  return ACTIVE.includes(status);
}

export function durableStarter(client: DurableClient): OrchestrationStarter {
  const status = async (instanceId: string): Promise<OrchestrationStatus | undefined> => {
    try {
      const s = await client.getStatus(instanceId);
      return {
        instanceId: s.instanceId,
        name: s.name,
        runtimeStatus: s.runtimeStatus as RuntimeStatus,
        createdTime: new Date(s.createdTime).toISOString(),
        lastUpdatedTime: new Date(s.lastUpdatedTime).toISOString(),
        customStatus: s.customStatus,
        output: s.output,
      };
    } catch (err) {
      // The client reports an unknown instance as an error mentioning HTTP 404.
      if (/404/.test(ensureError(err).message)) return undefined;
      throw err;
    }
  };
  return {
    status,
    async start(name, instanceId, input) {
      const current = await status(instanceId);
      if (current && isActive(current.runtimeStatus)) return { started: false };
      try {
        await client.startNew(name, { instanceId, input });
        return { started: true };
      } catch (err) {
        // Lost a race with a concurrent start of the same singleton: that one runs, so this request is coalesced.
        const after = await status(instanceId);
        if (after && isActive(after.runtimeStatus)) return { started: false };
        throw err;
      }
    },
    async raiseEvent(instanceId, name, data) {
      await client.raiseEvent(instanceId, name, data);
    },
    async running(prefix) {
      // The enum's values are these strings ('Running', 'Pending').
      const statuses = await client.getStatusBy({ runtimeStatus: ['Running', 'Pending'] as unknown as OrchestrationRuntimeStatus[] });
      return statuses.map((s) => s.instanceId).filter((id) => id.startsWith(prefix));
    },
  };
}
