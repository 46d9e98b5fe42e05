/** An OrchestrationStarter for the CLI: runs each started orchestration to completion in this process. */
import type { Services } from '../services';
import type { OrchestrationStarter } from '../workflows/starter';
import { runOrchestrationInProcess } from './runInProcess';

export function inProcessStarter(
  services: Services,
  onFinished?: (instanceId: string, output: unknown) => void,
  onStatus?: (status: unknown) => void,
): OrchestrationStarter {
  return {
    async start(name, instanceId, input) {
      const instance = await runOrchestrationInProcess(services, name, instanceId, input, { onStatus });
      onFinished?.(instanceId, instance.output);
      return { started: true };
    },
    // Nothing of ours runs in this process between commands; a Functions app's runs answer ARM 409 and are waited out.
    status: () => Promise.resolve(undefined),
    running: () => Promise.resolve([]),
    // The orchestration this process runs ends before the command returns: nothing here waits for an event.
    raiseEvent: (instanceId) => Promise.reject(new Error(`no orchestration '${instanceId}' runs in this process`)),
  };
}
