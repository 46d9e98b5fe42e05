/** The `apim-dr` operator CLI. Exit codes: see ExitCode and USER_ERROR_KINDS in errors.ts. */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CONFIG_SETTING } from '../config/configSetting';
import { ensureError, UserError } from '../errors';
import type { Services } from '../services';
import { createLogger } from '../telemetry/logger';
import { prettySink } from '../telemetry/prettySink';
import { registerApprove } from './commands/approve';
import { registerBackup } from './commands/backup';
import { registerCheck } from './commands/check';
import { registerCompletion } from './commands/completion';
import { registerDescribe } from './commands/describe';
import { registerList } from './commands/list';
import { registerLogs } from './commands/logs';
import { registerMigrate } from './commands/migrate';
import { registerRestore } from './commands/restore';
import { registerRestores } from './commands/restores';
import { registerStatus } from './commands/status';
import { registerSweep } from './commands/sweep';
import { registerSnapshot } from './commands/snapshot';
import type { CliContext } from './context';
import { projectRoot } from './projectRoot';
import { loadInProcessModules, servicesModule } from './lazy';
import type { ModeChooser, ModeDependencies } from './mode';
import { createOutput, ExitCode, exitCodeFor, outputFormat } from './output';
import { AppUnreachable } from './remote/appClient';

interface GlobalOptions {
  config?: string;
  json?: boolean;
  output?: string;
  verbose?: boolean;
  app?: string;
  audience?: string;
  breakGlass?: boolean;
  wait?: boolean;
}

/** Adds a command to the CLI: the stage set's `host` (dev/cli/main.ts) comes in this way, as it does not ship. */
export type RegisterCommand = (program: Command, cli: CliContext) => void;

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  deps: ModeDependencies = {},
  extraCommands: readonly RegisterCommand[] = [],
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command()
    .name('apim-dr')
    .description('Disaster recovery for Azure API Management')
    .version(version(), '--version', 'print the version')
    .option('--app <url>', 'the apim-dr app to ask (default: APIM_DR_APP_URL, else the running demo); every command goes to its HTTP API')
    .option('--audience <uri>', "the app registration's client ID or Application ID URI to get a token for (default: APIM_DR_APP_AUDIENCE)")
    .option('--break-glass', 'run in this process with your own Azure rights, not through the app (needs --config or APIM_DR_CONFIG, or the demo)')
    .option('--no-wait', 'remote: return once the app has accepted the operation, with its status URL')
    .option('--config <file>', 'config file for the in-process path (default: the APIM_DR_CONFIG app setting, else the demo)')
    .option('--output <format>', 'table (default), json or yaml')
    .option('--json', 'print JSON (same as --output json)')
    .option('--verbose', 'print debug logs to stderr')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const globals = () => program.opts<GlobalOptions>();
  const output = () => createOutput(outputFormat(globals()));
  let chooser: ModeChooser | undefined;
  const modes = () =>
    (chooser ??= new (loadedMode().ModeChooser)(
      { app: globals().app, audience: globals().audience, breakGlass: globals().breakGlass, config: globals().config },
      env,
      deps,
    ));
  const announce = (text: string) => process.stderr.write(`apim-dr: ${text}\n`);
  let created: Services | undefined;
  const services = (): Services =>
    (created ??= servicesModule().createServices(modes().config(), {
      settings: modes().settings(),
      logger: createLogger(globals().verbose ? prettySink((line) => process.stderr.write(`${line}\n`), 'debug') : () => undefined, {
        app: 'apim-dr',
        via: 'cli',
      }),
    }));
  const run = async (action: () => Promise<number>, inProcess = true) => {
    try {
      // Once a command runs: --help loads neither how to choose a mode (the demo settings' schema) nor the in-process code.
      await loadModeModule();
      // Only once a command runs in this process: remote commands never load that code.
      if (inProcess) await loadInProcessModules();
      exitCode = await action();
    } catch (err) {
      const error = ensureError(err);
      // The output format itself may be what is wrong: then say so plainly.
      let out;
      try {
        out = output();
      } catch {
        out = createOutput('table');
      }
      out.error(error.message);
      exitCode = exitCodeFor(error);
    } finally {
      // What ran here leaves its events where anyone can read them later ('apim-dr logs'), before the process exits.
      await created?.operationEvents.flush();
      // A break-glass restore from a laptop is exported too, if the connection string is set there.
      await created?.telemetry.shutdown();
    }
  };
  const runLocally = async (name: string, local: () => Promise<number>) => {
    await loadInProcessModules(name);
    // Instances found by tag resolve by name like configured ones: read discovery's list before the command runs.
    if (modes().config().discovery) await services().fleet.sync();
    return local();
  };
  // Whether this command runs in this process as the break-glass path (--break-glass, or accepted when the app did not answer).
  let brokeGlass = false;
  const cli: CliContext = {
    env,
    output,
    hasConfig: () => globals().config !== undefined || env[CONFIG_SETTING] !== undefined,
    config: () => modes().config(),
    services,
    wait: () => globals().wait !== false,
    breakGlass: () => brokeGlass,
    run,
    dispatch: (name, remote, local) =>
      run(async () => {
        const mode = modes().choose();
        if (mode.kind === 'in-process') {
          if (!cli.wait()) throw new UserError('--no-wait needs the app: drop --no-wait, or give --app <url> instead of running in this process', 'usage');
          if (globals().breakGlass || globals().verbose || process.stderr.isTTY) announce(`${name}: ${mode.via}`);
          brokeGlass = globals().breakGlass === true;
          return runLocally(name, local);
        }
        if (!remote) {
          if (!modes().canRunInProcess())
            throw new UserError(
              `the app's HTTP API does not serve '${name}': run it in this process with --break-glass --config FILE`,
              'usage',
              'NotServedRemotely',
            );
          announce(`${name}: in this process (the app's HTTP API does not serve it), on ${modes().demo() ? "the demo's config" : 'the given config'}`);
          return runLocally(name, local);
        }
        announce(`${name}: via ${mode.via}`);
        try {
          return await remote(mode.app);
        } catch (err) {
          if (!(err instanceof AppUnreachable)) throw err;
          if (modes().canRunInProcess() && (await offerBreakGlass(err.message))) {
            announce(`${name}: break-glass: in this process, with your own Azure rights`);
            brokeGlass = true;
            return runLocally(name, local);
          }
          throw new Error(`${err.message}: check --app and that the app runs, or run in this process with --break-glass (your own Azure rights)`, {
            cause: err,
          });
        }
      }, false),
  };
  for (const register of [
    registerBackup,
    registerList,
    registerCheck,
    registerRestore,
    registerRestores,
    registerDescribe,
    registerLogs,
    registerMigrate,
    registerStatus,
    registerSweep,
    ...extraCommands,
    registerApprove,
    registerCompletion,
  ])
    register(program, cli);
  registerSnapshot(program, cli);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    throw err;
  }
  return exitCode;
}

let modeModule: typeof import('./mode') | undefined;

async function loadModeModule(): Promise<void> {
  modeModule ??= await import('./mode.js');
}

function loadedMode(): typeof import('./mode') {
  if (!modeModule) throw new Error('a command chose its mode before loadModeModule()');
  return modeModule;
}

/** On a terminal, asks whether to run in this process when the app does not answer; elsewhere the answer is no. */
async function offerBreakGlass(why: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`apim-dr: ${why}. Run in this process instead (break-glass, with your own Azure rights)? [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

function version(): string {
  const root = projectRoot();
  try {
    return root ? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version : 'unknown';
  } catch {
    return 'unknown';
  }
}
