/** An OrchestrationStarter on the harness's engine, for tests that act as an edge (record a request, then start it). */
import type { OrchestrationStarter } from '../../src/workflows/starter';
import type { Harness } from './harness';

export function engineStarter(h: Harness): OrchestrationStarter {
  const { engine } = h.host;
  return {
    start: (name, instanceId, input) => Promise.resolve({ started: engine.start(name, instanceId, input) }),
    status: (instanceId) => {
      const i = engine.instances.get(instanceId);
      return Promise.resolve(
        i && {
          instanceId,
          name: i.name,
          runtimeStatus: i.runtimeStatus,
          createdTime: i.createdTime.toISOString(),
          lastUpdatedTime: i.lastUpdatedTime.toISOString(),
          customStatus: i.customStatus,
          output: i.output,
        },
      );
    },
    running: (prefix) =>
      Promise.resolve([...engine.instances.values()].filter((i) => i.instanceId.startsWith(prefix) && i.runtimeStatus === 'Running').map((i) => i.instanceId)),
    raiseEvent: (instanceId, name, data) => {
      engine.raiseEvent(instanceId, name, data);
      return Promise.resolve();
    },
  };
}
