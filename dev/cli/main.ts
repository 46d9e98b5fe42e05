/** The `apim-dr` CLI as bin/apim-dr.js runs it: the operator CLI (src/cli) plus the stage set's `host` command. */
import { main as operatorCli } from '../../src/cli/main';
import type { ModeDependencies } from '../../src/cli/mode';
import { registerHost } from './host';

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, deps: ModeDependencies = {}): Promise<number> {
  return operatorCli(argv, env, deps, [registerHost]);
}
