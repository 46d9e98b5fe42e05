/** `apim-dr check`: the restore dry run (--from/--to), or an instance's backup readiness (<service>). */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { Finding } from '../../domain/compatibility';
import { findingsForCli, fixForCli } from '../../http/httpFixes';
import { busyOnly } from '../../domain/targetBusy';
import type { RestoreDryRun } from '../../workflows/check/restoreDryRun';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { checkReadinessModule, restoreDryRunModule } from '../lazy';
import { ExitCode, type Output } from '../output';
import type { AppClient } from '../remote/appClient';

export interface CheckOptions {
  from?: string;
  to?: string;
  backup?: string;
}

/** Which check the command line asks for: the restore dry run, or readiness; a usage error if neither. */
function checkKind(service: string | undefined, options: CheckOptions): 'restore' | 'readiness' {
  if (options.from || options.to) {
    if (!options.from || !options.to || service)
      throw new UserError('use either `check <service>` (backup readiness) or `check --from <service> --to <service>` (restore dry run)');
    return 'restore';
  }
  if (!service) throw new UserError('name the instance to check: `apim-dr check <service>`, or `--from <service> --to <service>` for a restore');
  return 'readiness';
}

export async function checkCommand(services: Services, service: string | undefined, options: CheckOptions, out: Output): Promise<number> {
  if (checkKind(service, options) === 'restore') {
    const report = await restoreDryRunModule().restoreDryRun(services, { source: options.from!, target: options.to!, backup: options.backup });
    if (out.json) out.data(report);
    else printReport(report, out);
    return verdictExit(report);
  }
  const readiness = await checkReadinessModule().checkReadiness(services, service!);
  if (out.json) out.data(readiness);
  else {
    out.line(`${readiness.service}: ${readiness.ready ? 'ready for backup' : 'NOT ready for backup'}`);
    for (const p of readiness.problems) out.line(`  ${p.code}: ${p.message}\n    fix: ${p.fix}`);
    for (const w of readiness.warnings) out.line(`  warning ${w.code}: ${w.message}`);
  }
  return readiness.ready ? ExitCode.ok : ExitCode.refused;
}

/** Remote: the restore dry run, by the app (`POST /api/restores/check`); readiness is not in the HTTP API (undefined). */
export function remoteCheck(service: string | undefined, options: CheckOptions, out: Output): ((app: AppClient) => Promise<number>) | undefined {
  let kind: 'restore' | 'readiness' | undefined;
  try {
    kind = checkKind(service, options);
  } catch {
    // A usage error: reported by the same check, wherever it would have run.
  }
  if (kind === 'readiness') return undefined;
  return async (app) => {
    checkKind(service, options);
    const report = await remoteDryRun(app, { source: options.from, target: options.to, backup: options.backup });
    if (out.json) out.data(report);
    else printReport(report, out);
    return verdictExit(report);
  };
}

/** Not restorable is exit 3; a target only busy with another operation is a conflict, exit 1, as the restore would say. */
function verdictExit(report: RestoreDryRun): number {
  if (report.verdict !== 'NotRestorable') return ExitCode.ok;
  return busyOnly(report) ? ExitCode.failed : ExitCode.refused;
}

const VERDICT_TEXT = { FullyRestorable: 'Fully restorable', PartiallyRestorable: 'Partially restorable', NotRestorable: 'NOT restorable' };
const MARK: Record<Finding['severity'], string> = { blocking: 'BLOCKING', warning: 'warning', info: 'info' };

function printReport(report: RestoreDryRun, out: Output): void {
  out.line(`${VERDICT_TEXT[report.verdict]}: ${report.backupName} → ${report.target}`);
  for (const severity of ['blocking', 'warning', 'info'] as const) {
    for (const f of report.findings.filter((x) => x.severity === severity)) {
      out.line(`  ${MARK[severity].padEnd(8)} ${f.code}: ${f.message}${f.fix === 'none' ? '' : `\n           fix: ${f.fix}`}`);
    }
  }
  for (const line of firstStepLines(report)) out.line(line);
}

/** What runs before the restore itself and adds to the RTO, and how to skip it: in the dry run and every prompt. */
export function firstStepLines(report: RestoreDryRun): string[] {
  const step = report.preRestoreBackup;
  return step ? [`  ${'first'.padEnd(8)} ${step.message}`, `           ${step.fix}`] : [];
}

/** The app's dry run (`POST /api/restores/check`), its fixes naming this CLI's flags rather than the body's fields. */
export async function remoteDryRun(app: AppClient, body: Record<string, unknown>): Promise<RestoreDryRun> {
  const { body: report } = await app.post<RestoreDryRun>('/api/restores/check', body);
  const step = report.preRestoreBackup;
  return { ...report, findings: findingsForCli(report.findings), ...(step ? { preRestoreBackup: { ...step, fix: fixForCli(step.fix) } } : {}) };
}

export function registerCheck(program: Command, cli: CliContext): void {
  program
    .command('check [service]')
    .description('restore dry run (--from/--to): Fully / Partially / Not restorable, exit 3 when not; or backup readiness of <service>, exit 3 when not ready')
    .option('--from <service>', 'the instance whose backup would be restored')
    .option('--to <service>', 'the instance it would be restored into')
    .option('--backup <name>', "a backup name, or 'latest' (default: the newest restorable backup)")
    .action((service: string | undefined, options: CheckOptions) =>
      cli.dispatch('check', remoteCheck(service, options, cli.output()), () => checkCommand(cli.services(), service, options, cli.output())),
    );
}
