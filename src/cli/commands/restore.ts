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
import type { Services } from '../../services';
import type { RestoreAsk } from '../../workflows/restore/requestRestore';
import { restoreRecordPath, rollbackAsk } from '../../workflows/restore/rollback';
import type { CompatibilityReport } from '../../domain/compatibility';
import { busyConflict } from '../../workflows/check/busyConflict';
import type { RestoreDryRun } from '../../workflows/check/restoreDryRun';
import type { RestoreSummary } from '../../workflows/restore/types';
import { ExitCode, printRefusal, type Output } from '../output';
import { cliOrigin } from '../breakGlass';
import type { AppClient } from '../remote/appClient';
import { followOperation, progressLine, type Accepted } from '../remote/followOperation';
import { inProcessStarterModule, requestRestoreModule, restoreDryRunModule } from '../lazy';
import { cliRequester } from '../requestedBy';
import { printAccepted } from './backup';
import { firstStepLines, remoteDryRun } from './check';

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

/**
 * The dry run first, always: a missing backup is exit 1 and a verdict of not restorable exit 3 before anything starts,
 * as over HTTP. Without `yes` it shows the dry run, what runs first, and asks for the target's name.
 */
export async function runRestore(
  services: Services,
  ask: RestoreAsk,
  { yes, breakGlass }: { yes: boolean; breakGlass: boolean },
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): Promise<number> {
  const target = resolveInstance(services.config, ask.target, '--to').ref.name;
  const dryRun = () =>
    restoreDryRunModule().restoreDryRun(services, {
      source: ask.source,
      target: ask.target,
      backup: ask.backup,
      allowInPlace: ask.allowInPlace || ask.purpose === 'rollback',
      preRestoreBackup: ask.preRestoreBackup,
      purpose: ask.purpose,
    });
  let refused: CompatibilityReport | undefined;
  // Once consent and confirmation hold, before anything starts (as over HTTP): a missing backup is exit 1, not restorable 3.
  const preflight = async () => {
    const report = await dryRun();
    const busy = busyConflict(report);
    if (busy) throw busy;
    if (report.verdict !== 'NotRestorable') return;
    refused = report;
    throw new UserError(`NOT restorable: ${report.backupName} → ${report.target}`, 'refused', 'NotRestorable');
  };
  let confirm: string | undefined = yes ? target : undefined;
  if (!yes) {
    const report = await dryRun();
    if (report.verdict === 'NotRestorable') return printNotRestorable(report, out);
    printPrompt(report, out);
    confirm = await askForName(
      input,
      `refusing to restore into '${target}' without --yes when no one can confirm at a terminal`,
      `This replaces the whole configuration of '${target}'. Type its name to go on: `,
    );
  }
  let summary: RestoreSummary | undefined;
  const started = Date.now();
  const doing = `${ask.purpose === 'rollback' ? 'rolling back' : 'restoring into'} ${target}`;
  const starter = inProcessStarterModule().inProcessStarter(
    services,
    (_id, output) => (summary = output as RestoreSummary),
    (status) => out.progress(`${doing}: ${progressLine(status as Parameters<typeof progressLine>[0], Date.now() - started)}`),
  );
  out.progress(`${doing}…`);
  try {
    await requestRestoreModule().requestRestore(services, starter, { ...ask, confirm }, await cliOrigin(services, breakGlass, out), preflight);
  } catch (err) {
    if (!refused) throw err;
    out.progress('');
    return printNotRestorable(refused, out);
  }
  out.progress('');
  if (!summary) {
    out.error(`the restore into ${target} did not finish`);
    return ExitCode.failed;
  }
  return printRestoreSummary(summary, target, out);
}

/** The result of a restore or rollback, however it ran: the verdict, the RTO, and the way back. */
export function printRestoreSummary(summary: RestoreSummary, target: string, out: Output): number {
  if (out.json) out.data(summary);
  if (summary.state === 'refused') return printRefusal(summary.findings, out);
  if (summary.state !== 'succeeded') {
    out.error(`restore into ${target} failed: ${summary.error?.code}: ${summary.error?.message}`);
    return ExitCode.failed;
  }
  out.line(
    `restored ${summary.backupName} into ${target} in ${Math.round((summary.rtoMs ?? 0) / 1000)} s; verified: ${JSON.stringify(summary.verification?.actual)}`,
  );
  if (summary.preRestoreBackup) out.line(`rollback path: ${summary.preRestoreBackup} (undo: apim-dr restore --rollback ${summary.recordName} --yes)`);
  if (summary.approval?.breakGlassOperator) out.line(`break-glass: recorded operator ${summary.approval.breakGlassOperator}; no second approval was asked`);
  return ExitCode.ok;
}

/** Before the prompt: the verdict, what the person should weigh, and what runs first and adds to the RTO. */
export function printPrompt(report: RestoreDryRun, out: Output): void {
  out.line(`${report.verdict}: ${report.backupName} → ${report.target}`);
  for (const f of report.findings.filter((x) => x.severity !== 'info')) out.line(`  ${f.severity.padEnd(8)} ${f.code}: ${f.message}`);
  for (const line of firstStepLines(report)) out.line(line);
}

/** Refused before anything starts, and before anyone is asked: the blocking findings with their fixes, exit 3 (a busy target: exit 1). */
function printNotRestorable(report: CompatibilityReport, out: Output): number {
  const busy = busyConflict(report);
  if (busy) throw busy;
  if (out.json) out.data(report);
  out.error(`NOT restorable: ${report.backupName} → ${report.target}`);
  return printRefusal(report.findings, out);
}

/**
 * Remote: the app restores (`POST /api/restores`), as its own identity, recording the signed-in operator; a rollback
 * names the record and the app reads it. Without --yes, the app's dry run first, then the target's name at the terminal.
 */
export async function remoteRestore(
  app: AppClient,
  options: RestoreOptions,
  wait: boolean,
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): Promise<number> {
  const body = remoteAsk(options);
  const target = body.rollback ? targetOfRecord(body.rollback) : body.target!;
  if (options.yes === true) body.confirm = target;
  else {
    if (!body.rollback) {
      // The app's dry run, as in process: refused before anyone is asked, and what runs first and adds to the RTO.
      const report = await remoteDryRun(app, {
        source: body.source,
        target: body.target,
        backup: body.backup,
        allowInPlace: body.allowInPlace,
        preRestoreBackup: body.preRestoreBackup,
      });
      if (report.verdict === 'NotRestorable') return printNotRestorable(report, out);
      printPrompt(report, out);
    }
    body.confirm = await askForName(
      input,
      `refusing to restore into '${target}' without --yes when no one can confirm at a terminal`,
      `This replaces the whole configuration of '${target}'. Type its name to go on: `,
    );
  }
  const { body: accepted } = await app.post<Accepted & { target: string }>('/api/restores', body);
  if (!wait) return printAccepted(accepted, `${body.rollback ? 'rollback' : 'restore'} of ${accepted.target} started`, out);
  const status = await followOperation(app, accepted, `${body.rollback ? 'rolling back' : 'restoring into'} ${accepted.target}`, out);
  if (status.runtimeStatus !== 'Completed' || !status.output) {
    out.error(`the restore into ${accepted.target} did not finish (${status.runtimeStatus})`);
    return ExitCode.failed;
  }
  return printRestoreSummary(status.output as RestoreSummary, accepted.target, out);
}

interface RestoreBody {
  source?: string;
  target?: string;
  backup?: string;
  allowInPlace?: boolean;
  preRestoreBackup?: boolean;
  rollback?: string;
  confirm?: string;
}

function remoteAsk(options: RestoreOptions): RestoreBody {
  if (options.rollback !== undefined) {
    rejectWithRollback(options);
    return { rollback: options.rollback };
  }
  if (!options.from || !options.to) throw new UserError(MISSING_FROM_TO);
  return {
    source: options.from,
    target: options.to,
    backup: options.backup,
    ...(options.inPlace ? { allowInPlace: true } : {}),
    ...(options.preBackup === false ? { preRestoreBackup: false } : {}),
  };
}

/** A restore record is named after its target (`<target>.<time>….json`): whom a rollback replaces, before asking the app. */
function targetOfRecord(reference: string): string {
  return restoreRecordPath(reference).slice('restores/'.length).split('.')[0]!;
}

/** Asks at the terminal for an instance's name; refuses (with `refusal`) when there is no terminal. */
export async function askForName(input: NodeJS.ReadStream, refusal: string, question: string): Promise<string> {
  if (!input.isTTY) throw new UserError(refusal);
  const rl = createInterface({ input, output: process.stderr });
  const answer = (await rl.question(question)).trim();
  rl.close();
  return answer;
}

const MISSING_FROM_TO = "name the backup's instance with --from and the instance to restore into with --to (or roll back with --rollback <record>)";

function rejectWithRollback(options: RestoreOptions): void {
  const extra = (['from', 'to', 'backup', 'inPlace'] as const).filter((o) => options[o] !== undefined);
  if (extra.length)
    throw new UserError(
      `--rollback takes the target and the backup from the restore record; drop ${extra.map((o) => `--${o === 'inPlace' ? 'in-place' : o}`).join(', ')}`,
    );
}

async function askOf(services: Services, options: RestoreOptions): Promise<RestoreAsk> {
  if (options.rollback !== undefined) {
    rejectWithRollback(options);
    return rollbackAsk(services, options.rollback, cliRequester());
  }
  if (!options.from || !options.to) throw new UserError(MISSING_FROM_TO);
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
    .description('restore a backup into a configured standby (by the app; in this process with --break-glass); exit 3 when refused')
    .option('--from <service>', 'the instance whose backup is restored')
    .option('--to <service>', 'the standby to restore into')
    .option('--backup <name>', "a backup name, or 'latest' (default: the newest restorable backup)")
    .option('--in-place', 'allow restoring --from into itself (a pre-restore backup is taken first)')
    .option('--no-pre-backup', 'do not back the target up first (the default for protected targets: it is the rollback path)')
    .option(
      '--rollback <record>',
      "restore the pre-restore backup an earlier restore took (its record as 'apim-dr restores' lists it, e.g. 'restores/contoso-apim-neu.20260301T020000Z.123abcd.json'; the folder and '.json' are optional)",
    )
    .option('--yes', 'do not ask: the target is replaced without a prompt')
    .action((options: RestoreOptions) =>
      cli.dispatch(
        'restore',
        (app) => remoteRestore(app, options, cli.wait(), cli.output()),
        () => restoreCommand(cli.services(), { ...options, breakGlass: cli.breakGlass() }, cli.output()),
      ),
    );
}
