/**
 * The Functions worker's `@azure/functions-core` module, for loading a built app outside Azure (the package test, the
 * cold-start benchmark). It is written as a package into a folder that the child process's NODE_PATH names: Node looks
 * there after the app's own node_modules, so `@azure/functions` finds it with no change to Node's loader. Every
 * function the app registers is kept on `globalThis` under REGISTRATIONS_KEY, as the worker keeps them for the host.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const REGISTRATIONS_KEY = 'apim-dr.functions-core.registrations';

const CORE_MODULE = `'use strict';
const registrations = (globalThis[Symbol.for(${JSON.stringify(REGISTRATIONS_KEY)})] ??= new Map());
module.exports = {
  version: 'apim-dr-worker-stand-in',
  hostVersion: '4.x',
  setProgrammingModel() {},
  getProgrammingModel() {},
  registerHook() {
    return { dispose() {} };
  },
  registerFunction(metadata, callback) {
    registrations.set(metadata.name, { metadata, callback });
    return { dispose: () => registrations.delete(metadata.name) };
  },
};
`;

/** Writes the stand-in into `dir` (as `dir/@azure/functions-core`) and returns `dir`, the value for NODE_PATH. */
export function writeWorkerStandIn(dir: string): string {
  const packageDir = path.join(dir, '@azure', 'functions-core');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: '@azure/functions-core', version: '0.0.0', main: 'index.js' }));
  writeFileSync(path.join(packageDir, 'index.js'), CORE_MODULE);
  return dir;
}

/** A line of JavaScript that reads the registrations in the process the stand-in runs in. */
export const READ_REGISTRATIONS = `globalThis[Symbol.for(${JSON.stringify(REGISTRATIONS_KEY)})] ?? new Map()`;
