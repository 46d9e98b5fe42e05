/** What every CLI command gets from main: its output, the config and Services (built on first use), and the runner. */
import type { Config } from '../config/schema';
import type { Services } from '../services';
import type { Output } from './output';

export interface CliContext {
  /** The process's environment: app settings, as the Functions host would give them. */
  readonly env: NodeJS.ProcessEnv;
  output(): Output;
  /** Whether a config was given (`--config` or `APIM_DR_CONFIG`). */
  hasConfig(): boolean;
  config(): Config;
  services(): Services;
  /** Runs a command's action and records its exit code; errors become a message and their kind's exit code. */
  run(action: () => Promise<number>): Promise<void>;
}
