/**
 * The compiled infra/ for the infra tests: built once per change of infra/ with the pinned Bicep CLI. Without a
 * CLI (no NuGet, no `bicep` on the PATH) the tests that need it are skipped with the way to get one; under CI=true
 * they fail instead, so a pipeline never passes without having compiled the templates.
 */
import path from 'node:path';
import { beforeAll, beforeEach } from 'vitest';
import { compileInfra, type CompiledInfra } from '../../scripts/bicep/compileInfra';
import { locateBicep } from '../../scripts/bicep/bicepCli';

export const REPO = path.join(__dirname, '..', '..');

let pending: Promise<CompiledInfra | string> | undefined;

/** The compiled infra, or why it cannot be compiled here. One build per test file at most (and cached on disk). */
function compiledOrReason(): Promise<CompiledInfra | string> {
  pending ??= (async () => {
    const bicep = await locateBicep(REPO);
    if (!bicep.found) return bicep.reason;
    return compileInfra(REPO, bicep.path);
  })();
  return pending;
}

/** The note a suite is skipped with when no Bicep CLI can be had; under CI=true an error instead. */
export function skipWithoutBicep(reason: string, env: NodeJS.ProcessEnv): string {
  if (env['CI'] === 'true') throw new Error(`CI=true and ${reason}: a pipeline must compile infra/, so this fails instead of skipping`);
  return `infra tests skipped: ${reason}`;
}

/** Registers the hooks of a suite that reads the compiled templates; call the returned function inside tests. */
export function useCompiledInfra(): () => CompiledInfra {
  let compiled: CompiledInfra | undefined;
  let skipReason: string | undefined;
  beforeAll(async () => {
    const result = await compiledOrReason();
    if (typeof result !== 'string') {
      compiled = result;
      return;
    }
    skipReason = skipWithoutBicep(result, process.env);
    console.warn(skipReason);
  }, 600_000);
  beforeEach((context) => {
    if (skipReason) context.skip(skipReason);
  });
  return () => {
    if (!compiled) throw new Error('the compiled infra is read before beforeAll ran');
    return compiled;
  };
}
