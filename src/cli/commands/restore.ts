/**
 * `apim-dr restore --from <service> --to <service> [--backup NAME|latest] --yes`, or `--rollback <record>`: the
 * break-glass path. It runs in this process, so it works when the Functions app is down. Without --yes it shows the
 * dry run and asks for the target's name.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { createInterface } from 'node:readline/promises';
import { resolveInstance } from '../../config/resolveService';
import { UserError } from '../../errors';
import { inProcessStarter } from '../../local/inProcessStarter';
import type { Services } from '../../services';
import { checkRestore } from '../../workflows/check/checkRestore';
import { requestRestore, type RestoreAsk } from '../../workflows/restore/requestRestore';
import { rollbackAsk } from '../../workflows/restore/rollback';
import type { RestoreSummary } from '../../workflows/restore/types';
import { ExitCode, type Output } from '../output';
import { cliOrigin } from '../breakGlass';
import { cliRequester } from '../requestedBy';

export interface RestoreOptions {
  from?: string;
  to?: string;
  backup?: string;
  rollback?: string;
  inPlace?: boolean;
  /** commander's `--no-pre-backup`: false when given. */
  preBackup?: boolean;
  yes?: boolean;
  breakGlass?: boolean;
}

export async function restoreCommand(services: Services, options: RestoreOptions, out: Output, input: NodeJS.ReadStream = process.stdin): Promise<number> {
  return runRestore(services, await askOf(services, options), { yes: options.yes === true, breakGlass: options.breakGlass === true }, out, input);
}

/** Shows the dry run and asks for the target's name unless `yes`, then runs the restore in this process. */
export async function runRestore(
  services: Services,
  ask: RestoreAsk,
  { yes, breakGlass }: { yes: boolean; breakGlass: boolean },
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): Promise<number> {
  const target = resolveInstance(services.config, ask.target, '--to').ref.name;
  let confirm: string | undefined = yes ? target : undefined;
  if (!yes) {
    const report = await checkRestore(services, {
      source: ask.source,
      target: ask.target,
      backup: ask.backup,
      allowInPlace: ask.allowInPlace || ask.purpose === 'rollback',
    });
    out.line(`${report.verdict}: ${report.backupName} → ${report.target}`);
    for (const f of report.findings.filter((x) => x.severity !== 'info')) out.line(`  ${f.severity.padEnd(8)} ${f.code}: ${f.message}`);
    confirm = await askForName(
      input,
      `refusing to restore into '${target}' without --yes when no one can confirm at a terminal`,
      `This replaces the whole configuration of '${target}'. Type its name to go on: `,
    );
  }
  let summary: RestoreSummary | undefined;
  const doing = `${ask.purpose === 'rollback' ? 'rolling back' : 'restoring into'} ${target}`;
  const starter = inProcessStarter(
    services,
    (_id, output) => (summary = output as RestoreSummary),
    (status) => out.progress(`${doing}: ${progressText(status as RestoreProgress | undefined)}`),
  );
  out.progress(`${doing}…`);
  await requestRestore(services, starter, { ...ask, confirm }, await cliOrigin(services, breakGlass, out));
  out.progress('');
  if (!summary) {
    out.error(`the restore into ${target} did not finish`);
    return ExitCode.failed;
  }
  if (out.json) out.data(summary);
  if (summary.state === 'refused') {
    for (const f of summary.findings.filter((x) => x.severity === 'blocking')) out.error(`${f.code}: ${f.message} (fix: ${f.fix})`);
    return ExitCode.refused;
  }
  if (summary.state !== 'succeeded') {
    out.error(`restore into ${target} failed: ${summary.error?.code}: ${summary.error?.message}`);
    return ExitCode.failed;
  }
  out.line(
    `restored ${summary.backupName} into ${target} in ${Math.round((summary.rtoMs ?? 0) / 1000)} s; verified: ${JSON.stringify(summary.verification?.actual)}`,
  );
  if (summary.preRestoreBackup) out.line(`rollback path: ${summary.preRestoreBackup} (apim-dr restore --rollback ${summary.recordName})`);
  if (summary.approval?.breakGlassOperator) out.line(`break-glass: recorded operator ${summary.approval.breakGlassOperator}; no second approval was asked`);
  return ExitCode.ok;
}

/** Asks at the terminal for an instance's name; refuses (with `refusal`) when there is no terminal. */
export async function askForName(input: NodeJS.ReadStream, refusal: string, question: string): Promise<string> {
  if (!input.isTTY) throw new UserError(refusal);
  const rl = createInterface({ input, output: process.stderr });
  const answer = (await rl.question(question)).trim();
  rl.close();
  return answer;
}

interface RestoreProgress {
  phase?: string;
  percent?: number;
}

export function progressText(status: RestoreProgress | undefined): string {
  if (!status?.phase) return '…';
  return status.percent === undefined ? status.phase : `${status.phase} ${status.percent}%`;
}

async function askOf(services: Services, options: RestoreOptions): Promise<RestoreAsk> {
  if (options.rollback !== undefined) {
    const extra = (['from', 'to', 'backup', 'inPlace'] as const).filter((o) => options[o] !== undefined);
    if (extra.length)
      throw new UserError(
        `--rollback takes the target and the backup from the restore record; drop ${extra.map((o) => `--${o === 'inPlace' ? 'in-place' : o}`).join(', ')}`,
      );
    return rollbackAsk(services, options.rollback, cliRequester());
  }
  if (!options.from || !options.to)
    throw new UserError("name the backup's instance with --from and the instance to restore into with --to (or roll back with --rollback <record>)");
  return {
    source: options.from,
    target: options.to,
    backup: options.backup,
    allowInPlace: options.inPlace === true,
    ...(options.preBackup === false ? { preRestoreBackup: false } : {}),
    requestedBy: cliRequester(),
  };
}

export function registerRestore(program: Command, cli: CliContext): void {
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
    .option('--break-glass', 'run what needs a second approval (in place) without one, recording your Azure identity: only when the app is down')
    .action((options: RestoreOptions) => cli.run(() => restoreCommand(cli.services(), options, cli.output())));
}
