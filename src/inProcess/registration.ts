/**
 * A function's registration as the Functions worker receives it from `@azure/functions` (its metadata, bindings keyed
 * by name, and its callback), built here without a worker: the durable engine runs registrations of this shape.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationHandler } from 'durable-functions';
import { createOrchestrator } from 'durable-functions/lib/src/util/testingUtils';

export interface BindingMetadata {
  type: string;
  direction: 'in' | 'out';
  name?: string;
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingMetadata>;
  retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

export interface Registration {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

/** A binding as `@azure/functions` declares it (`trigger.http(…)`, `df.input.durableClient()`): its name and type. */
export interface BindingOptions {
  name: string;
  type: string;
  [key: string]: unknown;
}

/** A function's registration as `@azure/functions` hands it to the worker: its bindings keyed by name, trigger first. */
export function registrationOf(
  name: string,
  options: { trigger: BindingOptions; extraInputs?: BindingOptions[]; return?: BindingOptions },
  callback: FunctionCallback,
): Registration {
  const bindings: Record<string, BindingMetadata> = { [options.trigger.name]: { ...options.trigger, direction: 'in' } };
  for (const input of options.extraInputs ?? []) bindings[input.name] = { ...input, direction: 'in' };
  if (options.return) bindings['$return'] = { ...options.return, direction: 'out' };
  return { metadata: { name, bindings }, callback };
}

/**
 * Adds orchestrations and activities to `target` as `df.app` registers them with the worker: an orchestrator wrapped
 * in durable-functions' replay code, an activity with its trigger and extra inputs.
 */
export function durableApp(target: Map<string, Registration>) {
  return {
    orchestration(name: string, handler: OrchestrationHandler): void {
      const replay = createOrchestrator(handler);
      target.set(
        name,
        registrationOf(name, { trigger: df.trigger.orchestration() }, (trigger, context) => replay(trigger, context as InvocationContext)),
      );
    },
    activity(name: string, options: { handler: (input: never, context: InvocationContext) => unknown; extraInputs?: BindingOptions[] }): void {
      const { handler, extraInputs } = options;
      target.set(
        name,
        registrationOf(name, { trigger: df.trigger.activity(), extraInputs }, (input, context) => handler(input as never, context as InvocationContext)),
      );
    },
  };
}

export function triggerOf(registration: Registration): BindingMetadata & { name: string } {
  for (const [name, binding] of Object.entries(registration.metadata.bindings)) {
    if (binding.direction === 'in' && binding.type.endsWith('Trigger')) return { ...binding, name };
  }
  throw new Error(`function '${registration.metadata.name}' has no trigger binding`);
}

/** The registration's extra inputs as `@azure/functions` FunctionInput objects (what InvocationContext.options holds). */
export function extraInputsOf(registration: Registration): { name: string; type: string }[] {
  const trigger = triggerOf(registration).name;
  return Object.entries(registration.metadata.bindings)
    .filter(([name, b]) => b.direction === 'in' && name !== trigger)
    .map(([name, b]) => ({ ...b, name, type: b.type }));
}
