/** Runs one orchestration to completion inside this process (the CLI's break-glass path: no Functions app needed). */
import type { Services } from '../services';
import { fromFunctionsLevel } from '../telemetry/logger';
import { watchOf, watchStatus } from '../workflows/watch';
import { DurableEngine, type OrchestrationInstance } from './durableEngine';
import { realHostClock, type HostClock } from './hostClock';
import { workflowRegistrations } from './workflowRegistrations';

export interface InProcessOptions {
  clock?: HostClock;
  /** Called whenever the orchestration's custom status changes. */
  onStatus?: (status: unknown) => void;
  pollMs?: number;
}

export async function runOrchestrationInProcess(
  services: Services,
  name: string,
  instanceId: string,
  input: unknown,
  options: InProcessOptions = {},
): Promise<OrchestrationInstance> {
  // Straight from the workflow registry: nothing of functions/ (HTTP, timers) and no Functions worker is needed here.
  const functions = workflowRegistrations(
    () => services,
    (context) => {
      throw new Error(`'${context.functionName}' starts orchestrations, which only the Functions app (or the local host) can do`);
    },
  );
  const engine = new DurableEngine(functions, options.clock ?? realHostClock, {
    log: (level, message, props) => services.logger.log(fromFunctionsLevel(level), message, props),
  });
  engine.start(name, instanceId, input);
  let lastStatus = '';
  for (;;) {
    const instance = engine.instances.get(instanceId)!;
    const shown = watchedStatus(engine, instance);
    const status = JSON.stringify(shown ?? null);
    if (status !== lastStatus) {
      lastStatus = status;
      options.onStatus?.(shown);
    }
    if (instance.runtimeStatus !== 'Running' && instance.runtimeStatus !== 'Pending') {
      await engine.idle();
      return instance;
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}

/** While the orchestration watches an operation, the watch's status (polls, percent), as `GET /api/operations` shows it. */
function watchedStatus(engine: DurableEngine, instance: OrchestrationInstance): unknown {
  const watching = watchOf(instance);
  return (watching && watchStatus(engine.instances.get(watching))) ?? instance.customStatus;
}
