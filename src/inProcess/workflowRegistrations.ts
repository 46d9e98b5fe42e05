/**
 * The workflow registry as the durable engine runs it: each orchestration wrapped in durable-functions' replay code
 * and each activity bound to Services, with the metadata `@azure/functions` would hand the worker for them.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { createOrchestrator } from 'durable-functions/lib/src/util/testingUtils';
import type { Services } from '../services';
import { activityList, orchestrationList } from '../workflows/registry';
import type { OrchestrationStarter } from '../workflows/starter';
import { registrationOf, type Registration } from './functionsCore';

export function workflowRegistrations(
  services: () => Services,
  /** The starter an activity that starts orchestrations is given, from its invocation's durable client input. */
  starterFor: (context: InvocationContext) => OrchestrationStarter,
): Map<string, Registration> {
  const registrations = new Map<string, Registration>();
  for (const orchestration of orchestrationList) {
    const replay = createOrchestrator(orchestration.handler);
    registrations.set(
      orchestration.name,
      registrationOf(orchestration.name, { trigger: df.trigger.orchestration() }, (trigger, context) => replay(trigger, context as InvocationContext)),
    );
  }
  for (const activity of activityList) {
    const options = { trigger: df.trigger.activity(), extraInputs: activity.startsOrchestrations ? [df.input.durableClient()] : [] };
    registrations.set(
      activity.name,
      registrationOf(activity.name, options, (input, context) => activity.run(services(), input, () => starterFor(context as InvocationContext))),
    );
  }
  return registrations;
}
