/** The workflow registry as the durable engine runs it: each orchestration and activity registered as `df.app` would. */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Services } from '../services';
import { activityList, orchestrationList } from '../workflows/registry';
import type { OrchestrationStarter } from '../workflows/starter';
import { durableApp, type Registration } from './registration';

export function workflowRegistrations(
  services: () => Services,
  /** The starter an activity that starts orchestrations is given, from its invocation's durable client input. */
  starterFor: (context: InvocationContext) => OrchestrationStarter,
): Map<string, Registration> {
  const registrations = new Map<string, Registration>();
  const app = durableApp(registrations);
  for (const orchestration of orchestrationList) app.orchestration(orchestration.name, orchestration.handler);
  for (const activity of activityList) {
    app.activity(activity.name, {
      extraInputs: activity.startsOrchestrations ? [df.input.durableClient()] : [],
      handler: (input: unknown, context) => activity.run(services(), input, () => starterFor(context)),
    });
  }
  return registrations;
}
