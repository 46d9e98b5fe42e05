/** What every CLI command gets from main: its output, the config and Services (built on first use), and the runners. */
import type { Config } from '../config/schema';
import type { Services } from '../services';
import type { Output } from './output';
import type { AppClient } from './remote/appClient';

export interface CliContext {
  /** The process's environment: app settings, as the Functions host would give them. */
  readonly env: NodeJS.ProcessEnv;
  output(): Output;
  /** Whether a config was given (`--config` or `APIM_DR_CONFIG`). */
  hasConfig(): boolean;
  config(): Config;
  services(): Services;
  /** False with `--no-wait`: a remote command returns once the app has accepted the operation. */
  wait(): boolean;
  /** True when this command runs in this process as the break-glass path: what needs a second approval runs without one, recorded. */
  breakGlass(): boolean;
  /** Runs a command's action and records its exit code; errors become a message and their kind's exit code. */
  run(action: () => Promise<number>, inProcess?: boolean): Promise<void>;
  /**
   * Runs a command remotely (the app's HTTP API) or in this process, as the mode says, and says which ran.
   * `remote` is undefined for a command the HTTP API does not serve: it then runs in this process, if there is a config.
   */
  dispatch(name: string, remote: ((app: AppClient) => Promise<number>) | undefined, local: () => Promise<number>): Promise<void>;
}
