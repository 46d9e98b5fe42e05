/** Every orchestration and activity, registered from the workflow registry (src/workflows/registry.ts). */
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { activityList, orchestrationList } from '../src/workflows/registry';
import { durableStarter } from '../src/workflows/starter';
import { services } from './services';

for (const orchestration of orchestrationList) df.app.orchestration(orchestration.name, orchestration.handler);

for (const activity of activityList) {
  df.app.activity(activity.name, {
    // Only an activity that starts orchestrations gets a durable client.
    ...(activity.startsOrchestrations ? { extraInputs: [df.input.durableClient()] } : {}),
    handler: (input: unknown, context: InvocationContext) => activity.run(services(), input, () => durableStarter(df.getClient(context))),
  });
}
