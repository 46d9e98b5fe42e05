/**
 * `apim-dr migrate <service> [--mode preserve-ip|new-ip] [--dry-run] --yes`: off stv1 in place;
 * `--side-by-side --to <standby>`: into a new stv2 instance; `--rollback <record> --to <instance>`: the way back.
 * Runs in this process like `restore`. Exit 3 when the dry run says not migratable or a rule refuses.
 */
import type { Command } from 'commander';
import { resolveInstance } from '../../config/resolveService';
import type { MigrationMode, MigrationReport, SideBySideReport } from '../../domain/migration';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import type { MigrationSummary } from '../../workflows/migrate/types';
import type { CliContext } from '../context';
import { ExitCode, printRefusal, type Output } from '../output';
import { cliOrigin } from '../breakGlass';
import { checkMigrationModule, restoreDryRunModule, inProcessStarterModule, migrationRollbackModule, requestMigrationModule } from '../lazy';
import { cliRequester } from '../requestedBy';
import type { AppClient } from '../remote/appClient';
import { followOperation, progressLine, type Accepted } from '../remote/followOperation';
import { printAccepted } from './backup';
import { askForName, printPrompt, runRestore } from './restore';

export interface MigrateOptions {
  mode?: string;
  dryRun?: boolean;
  sideBySide?: boolean;
  to?: string;
  rollback?: string;
  yes?: boolean;
  breakGlass?: boolean;
}

const MODES: Record<string, MigrationMode> = { 'preserve-ip': 'PreserveIp', 'new-ip': 'NewIP' };

export async function migrateCommand(
  services: Services,
  service: string | undefined,
  options: MigrateOptions,
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): Promise<number> {
  if (options.rollback !== undefined) return rollback(services, service, options, out, input);
  const mode = validated(service, options);
  if (!service) return ExitCode.usage;

  const report = options.sideBySide
    ? await checkMigrationModule().checkSideBySideMigration(services, { service, target: options.to! })
    : await checkMigrationModule().checkInPlaceMigration(services, { service, mode });
  if (options.dryRun || !options.yes) {
    printReport(report, out);
    if (options.dryRun || report.verdict === 'NotMigratable') return report.verdict === 'NotMigratable' ? ExitCode.refused : ExitCode.ok;
  }
  const changed = options.sideBySide ? resolveInstance(services.config, options.to!, '--to').ref.name : report.service;
  const confirm = options.yes
    ? changed
    : await askForName(
        input,
        `refusing to migrate '${report.service}' without --yes when no one can confirm at a terminal`,
        options.sideBySide
          ? `This replaces the whole configuration of '${changed}'. Type its name to go on: `
          : `A migration of '${changed}' cannot be undone. Type its name to go on: `,
      );

  let summary: MigrationSummary | undefined;
  const started = Date.now();
  const doing = options.sideBySide ? `migrating ${report.service} into ${changed}` : `migrating ${report.service} to stv2`;
  const starter = inProcessStarterModule().inProcessStarter(
    services,
    (_id, output) => (summary = output as MigrationSummary),
    (status) => out.progress(`${doing}: ${progressLine(status as Parameters<typeof progressLine>[0], Date.now() - started)}`),
  );
  out.progress(`${doing}…`);
  await requestMigrationModule().requestMigration(
    services,
    starter,
    { service, ...(options.sideBySide ? { target: options.to } : { mode }), confirm, requestedBy: cliRequester() },
    await cliOrigin(services, options.breakGlass === true, out),
  );
  out.progress('');
  if (!summary) {
    out.error(`the migration of ${report.service} did not finish`);
    return ExitCode.failed;
  }
  return printSummary(summary, out);
}

/** The in-place mode, once the command line is known to be one migration; usage errors name the flag. */
function validated(service: string | undefined, options: MigrateOptions): MigrationMode {
  if (!service) throw new UserError("name the instance to migrate: 'apim-dr migrate <service>' (or go back with --rollback <record> --to <instance>)");
  if (options.sideBySide && !options.to) throw new UserError('--side-by-side needs --to <instance>: the stv2 standby to restore into');
  if (options.to && !options.sideBySide) throw new UserError('--to goes with --side-by-side or --rollback; an in-place migration has no target');
  if (options.sideBySide && options.mode) throw new UserError('--mode is for in-place migrations; a side-by-side migration restores into the target');
  return modeOf(options.mode);
}

/**
 * Remote: the app's dry run (`POST /api/migrations/check`) and migration (`POST /api/migrations`). The way back
 * (`--rollback`) is not in the HTTP API: undefined, so it runs in this process.
 */
export function remoteMigrate(
  service: string | undefined,
  options: MigrateOptions,
  wait: boolean,
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): ((app: AppClient) => Promise<number>) | undefined {
  if (options.rollback !== undefined) return undefined;
  return async (app) => {
    const mode = validated(service, options);
    const ask = options.sideBySide ? { service: service!, target: options.to! } : { service: service!, mode };
    const { body: report } = await app.post<MigrationReport | SideBySideReport>('/api/migrations/check', ask);
    if (options.dryRun || !options.yes) {
      printReport(report, out);
      if (options.dryRun || report.verdict === 'NotMigratable') return report.verdict === 'NotMigratable' ? ExitCode.refused : ExitCode.ok;
    }
    const changed = 'target' in report ? report.target : report.service;
    const confirm = options.yes
      ? changed
      : await askForName(
          input,
          `refusing to migrate '${report.service}' without --yes when no one can confirm at a terminal`,
          `${options.sideBySide ? `This replaces the whole configuration of '${changed}'.` : `A migration of '${changed}' cannot be undone.`} Type its name to go on: `,
        );
    const { body: accepted } = await app.post<Accepted>('/api/migrations', { ...ask, confirm });
    if (!wait) return printAccepted(accepted, `migration of ${report.service} started`, out);
    const status = await followOperation(app, accepted, `migrating ${report.service}`, out);
    if (status.runtimeStatus !== 'Completed' || !status.output) {
      out.error(`the migration of ${report.service} did not finish (${status.runtimeStatus})`);
      return ExitCode.failed;
    }
    return printSummary(status.output as MigrationSummary, out);
  };
}

function modeOf(option: string | undefined): MigrationMode {
  if (option === undefined) return 'PreserveIp';
  const mode = MODES[option.toLowerCase()];
  if (!mode) throw new UserError(`--mode must be 'preserve-ip' (keep the IP, ~15 minutes of downtime) or 'new-ip' (no downtime, new IP)`);
  return mode;
}

function printReport(report: MigrationReport | SideBySideReport, out: Output): void {
  if (out.json) return out.data(report);
  const to = 'target' in report ? ` → ${report.target}` : ` (${report.mode})`;
  out.line(`${report.verdict}: ${report.service}${to}, platform ${report.platformVersion}`);
  for (const f of report.findings) out.line(`  ${f.severity.padEnd(8)} ${f.code}: ${f.message}\n           fix: ${f.fix}`);
  if (report.wayBackUntil) out.line(`way back (restore the pre-migration backup into another instance) possible until ${report.wayBackUntil}`);
}

function printSummary(summary: MigrationSummary, out: Output): number {
  if (out.json) out.data(summary);
  if (summary.state === 'refused') return printRefusal(summary.findings, out);
  const wayBack = summary.preMigrationBackup
    ? `way back: apim-dr migrate --rollback ${summary.recordName} --to <instance> (until ${summary.preMigrationBackup.expiresAt})`
    : undefined;
  if (summary.state !== 'succeeded') {
    out.error(`migration of ${summary.service} failed: ${summary.error?.code}: ${summary.error?.message}`);
    if (wayBack && summary.kind === 'in-place' && summary.verification && !Object.values(summary.verification.platforms).every((p) => p === 'stv1'))
      out.error(wayBack);
    return ExitCode.failed;
  }
  const minutes = Math.round((summary.durations?.totalMs ?? 0) / 60_000);
  if (summary.kind === 'side-by-side') {
    out.line(`restored ${summary.service}'s pre-migration backup into ${summary.target} in ${minutes} min; ${summary.service} is untouched`);
    out.line('cut-over checklist:');
    for (const item of summary.checklist ?? []) out.line(`  - ${item}`);
    return ExitCode.ok;
  }
  out.line(`migrated ${summary.service} to ${JSON.stringify(summary.verification?.platforms)} in ${minutes} min (${summary.mode})`);
  out.line(`public IPs before ${JSON.stringify(summary.ipsBefore)}, after ${JSON.stringify(summary.ipsAfter)}`);
  if (summary.postMigrationBackup) out.line(`first backup on stv2: ${summary.postMigrationBackup}`);
  if (wayBack) out.line(wayBack);
  out.line(`record: ${summary.recordName}`);
  if (summary.approval?.breakGlassOperator) out.line(`break-glass: recorded operator ${summary.approval.breakGlassOperator}; no second approval was asked`);
  return ExitCode.ok;
}

async function rollback(services: Services, service: string | undefined, options: MigrateOptions, out: Output, input: NodeJS.ReadStream): Promise<number> {
  const extra = [service !== undefined && '<service>', options.mode && '--mode', options.sideBySide && '--side-by-side'].filter(Boolean);
  if (extra.length) throw new UserError(`--rollback takes the instance and the backup from the migration record; drop ${extra.join(', ')}`);
  if (!options.to) throw new UserError('--rollback needs --to <instance>: another instance to restore the pre-migration backup into');
  const ask = await migrationRollbackModule().migrationRollbackAsk(services, options.rollback!, options.to, cliRequester());
  if (options.dryRun) {
    const report = await restoreDryRunModule().restoreDryRun(services, {
      source: ask.source,
      target: ask.target,
      backup: ask.backup,
      preRestoreBackup: ask.preRestoreBackup,
      purpose: ask.purpose,
    });
    if (out.json) out.data(report);
    else printPrompt(report, out);
    return report.verdict === 'NotRestorable' ? ExitCode.refused : ExitCode.ok;
  }
  return runRestore(services, ask, { yes: options.yes === true, breakGlass: options.breakGlass === true }, out, input);
}

export function registerMigrate(program: Command, cli: CliContext): void {
  program
    .command('migrate [service]')
    .description('move an instance off the retired stv1 platform (in place, or side by side), in this process; exit 3 when refused')
    .option('--mode <mode>', "in place: 'preserve-ip' (default; ~15 min of downtime) or 'new-ip' (no downtime, new public IP)")
    .option('--dry-run', 'only say whether it is migratable, with every finding and its fix')
    .option('--side-by-side', 'restore a pre-migration backup into --to (an stv2 standby) instead; the instance is untouched')
    .option('--to <service>', 'the stv2 instance for --side-by-side, or the instance --rollback restores into')
    .option(
      '--rollback <record>',
      "the way back: restore a migration's pre-migration backup into --to (its record as 'apim-dr restores' lists it, e.g. 'migrations/contoso-apim-dev.20260301T020000Z.123abcd.json')",
    )
    .option('--yes', 'do not ask: migrate without a prompt')
    .action((service: string | undefined, options: MigrateOptions) =>
      cli.dispatch('migrate', remoteMigrate(service, options, cli.wait(), cli.output()), () =>
        migrateCommand(cli.services(), service, { ...options, breakGlass: cli.breakGlass() }, cli.output()),
      ),
    );
}
