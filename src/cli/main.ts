/** The `apim-dr` operator CLI. Exit codes: see ExitCode and USER_ERROR_KINDS in errors.ts. */
import { Command, CommanderError } from 'commander';
import { CONFIG_SETTING, loadConfigFile, loadConfigFromEnvironment } from '../config/loadConfig';
import type { Config } from '../config/schema';
import { ensureError } from '../errors';
import { createServices, type Services } from '../services';
import { createLogger } from '../telemetry/logger';
import { prettySink } from '../telemetry/prettySink';
import { registerBackup } from './commands/backup';
import { registerCheck } from './commands/check';
import { registerHost } from './commands/host';
import { registerList } from './commands/list';
import { registerMigrate } from './commands/migrate';
import { registerRestore } from './commands/restore';
import { registerStatus } from './commands/status';
import { registerSweep } from './commands/sweep';
import { registerSnapshot } from './commands/snapshot';
import type { CliContext } from './context';
import { createOutput, ExitCode, exitCodeFor } from './output';

interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command()
    .name('apim-dr')
    .description('Disaster recovery for Azure API Management')
    .option('--config <file>', 'config file (default: the APIM_DR_CONFIG app setting)')
    .option('--json', 'print JSON')
    .option('--verbose', 'print debug logs to stderr')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  const globals = () => program.opts<GlobalOptions>();
  const output = () => createOutput(globals().json === true);
  const config = (): Config => (globals().config ? loadConfigFile(globals().config!) : loadConfigFromEnvironment(env));
  let created: Services | undefined;
  const services = (): Services =>
    (created = createServices(config(), {
      settings: env,
      logger: createLogger(globals().verbose ? prettySink((line) => process.stderr.write(`${line}\n`), 'debug') : () => undefined, {
        app: 'apim-dr',
        via: 'cli',
      }),
    }));
  const cli: CliContext = {
    env,
    output,
    hasConfig: () => globals().config !== undefined || env[CONFIG_SETTING] !== undefined,
    config,
    services,
    async run(action) {
      try {
        exitCode = await action();
      } catch (err) {
        const error = ensureError(err);
        output().error(error.message);
        exitCode = exitCodeFor(error);
      } finally {
        // A break-glass restore from a laptop is exported too, if the connection string is set there.
        await created?.telemetry.shutdown();
      }
    },
  };
  for (const register of [registerBackup, registerList, registerCheck, registerRestore, registerMigrate, registerStatus, registerSweep, registerHost])
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
