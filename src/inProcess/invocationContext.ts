/** The InvocationContext the Functions worker would build for a registration, with its durable client input filled. */
import { InvocationContext } from '@azure/functions';
import { extraInputsOf, triggerOf, type Registration } from './registration';

export function createInvocationContext(
  registration: Registration,
  invocationId: string,
  /** Receives Azure Functions log levels (`information`, `warning`, …). */
  log: (level: string, message: string, properties: Record<string, unknown>) => void,
  durableClientData?: () => Record<string, unknown>,
): InvocationContext {
  const trigger = triggerOf(registration);
  const extraInputs = extraInputsOf(registration);
  const context = new InvocationContext({
    invocationId,
    functionName: registration.metadata.name,
    options: { trigger: { ...trigger, name: trigger.name, type: trigger.type }, extraInputs, extraOutputs: [] },
    logHandler: (level, ...args) => log(level, args.map(String).join(' '), { function: registration.metadata.name }),
  });
  // The same binding types durable-functions' getClient() accepts.
  for (const input of extraInputs) {
    if ((input.type === 'durableClient' || input.type === 'orchestrationClient') && durableClientData) context.extraInputs.set(input.name, durableClientData());
  }
  return context;
}
