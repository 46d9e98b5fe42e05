/** The `apim-dr` operator CLI. Exit codes: see ExitCode and USER_ERROR_KINDS in errors.ts. */
import { Command, CommanderError } from 'commander';
import { loadConfigFile, loadConfigFromEnvironment } from '../config/loadConfig';
import type { Config } from '../config/schema';
import { ensureError, UserError } from '../errors';
import { createServices, type Services } from '../services';
import { createLogger } from '../telemetry/logger';
import { prettySink } from '../telemetry/prettySink';
import { backupCommand } from './commands/backup';
import { checkCommand, type CheckOptions } from './commands/check';
import { hostCommand } from './commands/host';
import { listCommand } from './commands/list';
import { restoreCommand, type RestoreOptions } from './commands/restore';
import { statusCommand } from './commands/status';
import { sweepCommand } from './commands/sweep';
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
  const run = (action: () => Promise<number>) => async () => {
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
  };

  program
    .command('backup <service>')
    .description('back up an instance now and wait for it; prints the backup name (--json: the manifest)')
    .action((service: string) => run(() => backupCommand(services(), service, output()))());
  program
    .command('list [service]')
    .description('list catalogued backups, newest first, with expiry and time left')
    .action((service: string | undefined) => run(() => listCommand(services(), service, output()))());
  program
    .command('check [service]')
    .description('restore dry run (--from/--to): Fully / Partially / Not restorable, exit 3 when not; or backup readiness of <service>')
    .option('--from <service>', 'the instance whose backup would be restored')
    .option('--to <service>', 'the instance it would be restored into')
    .option('--backup <name>', "a backup name, or 'latest' (default: the newest restorable backup)")
    .action((service: string | undefined, options: CheckOptions) => run(() => checkCommand(services(), service, options, output()))());
  program
    .command('restore')
    .description('restore a backup into a configured standby, in this process (works with the Functions app down); exit 3 when refused')
    .option('--from <service>', 'the instance whose backup is restored')
    .option('--to <service>', 'the standby to restore into')
    .option('--backup <name>', "a backup name, or 'latest' (default: the newest restorable backup)")
    .option('--in-place', 'allow restoring --from into itself (a pre-restore backup is taken first)')
    .option('--no-pre-backup', 'do not back the target up first (the default for protected targets: it is the rollback path)')
    .option('--rollback <record>', "restore the pre-restore backup an earlier restore took (its record, e.g. 'restores/NAME.TIME.json')")
    .option('--yes', 'do not ask: the target is replaced without a prompt')
    .action((options: RestoreOptions) => run(() => restoreCommand(services(), options, output()))());
  program
    .command('status')
    .description('which instances are protected, at risk or unprotected, and why')
    .action(() => run(() => statusCommand(services(), output()))());
  program
    .command('sweep')
    .description(
      'mark, delete or archive expired backups (never the newest restorable one, never a blob without a manifest) and renew instances close to expiry',
    )
    .option('--dry-run', 'show what would be done, change nothing')
    .action((options: { dryRun?: boolean }) => run(() => sweepCommand(services(), options.dryRun === true, output()))());
  program
    .command('host')
    .description('run the Functions app locally (no --config and no APIM_DR_CONFIG: on the built-in sandbox)')
    .option('--port <port>', 'HTTP port', '7071')
    .action((options: { port: string }) =>
      run(() => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port '${options.port}' is not a port number (0-65535)`);
        const hasConfig = globals().config !== undefined || env['APIM_DR_CONFIG'] !== undefined;
        const until = new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        return hostCommand({ config: hasConfig ? config() : undefined, port, settings: env, until }, output());
      })(),
    );

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
