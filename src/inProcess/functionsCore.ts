/**
 * Stands in for `@azure/functions-core`, the module the Functions worker provides. `@azure/functions` hands it
 * every registration (app.http, app.timer, df.app.orchestration, …), so the local host sees exactly what Azure sees.
 */
import Module from 'node:module';

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

const CORE_MODULE = '@azure/functions-core';
const FAKE_PATH = '/__apim-dr-local-host__/functions-core.js';

interface GlobalRegistry {
  registrations: Map<string, Registration>;
}

const globalKey = Symbol.for('apim-dr.local-host.registry');

export function registry(): Map<string, Registration> {
  const holder = globalThis as unknown as Record<symbol, GlobalRegistry | undefined>;
  holder[globalKey] ??= { registrations: new Map() };
  return holder[globalKey].registrations;
}

/** Makes `require('@azure/functions-core')` resolve to our registry. Must run before functions/ is loaded. */
export function installFunctionsCore(): void {
  const cache = (Module as unknown as { _cache: Record<string, unknown> })._cache;
  if (cache[FAKE_PATH]) return;
  const core = {
    version: 'apim-dr-local-host',
    hostVersion: '4.x',
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    registerHook: () => ({ dispose: () => undefined }),
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
      registry().set(metadata.name, { metadata, callback });
      return { dispose: () => registry().delete(metadata.name) };
    },
  };
  const fake = new Module(FAKE_PATH);
  fake.filename = FAKE_PATH;
  fake.loaded = true;
  fake.exports = core;
  cache[FAKE_PATH] = fake;
  const moduleWithResolve = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = moduleWithResolve._resolveFilename;
  moduleWithResolve._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === CORE_MODULE ? FAKE_PATH : original.call(this, request, ...rest);
  };
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
