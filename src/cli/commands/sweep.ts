/** `apim-dr sweep [--dry-run]`: apply the 30-day expiry to the catalog and renew what needs it, instance by instance. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatDuration } from '../../domain/duration';
import type { Protection } from '../../domain/protection';
import type { SweepItem } from '../../domain/sweepPlan';
import type { Services } from '../../services';
import type { SweepReport } from '../../workflows/sweep/types';
import { inProcessStarterModule, sweepModules } from '../lazy';
import { ExitCode, type Output } from '../output';

export async function sweepCommand(services: Services, dryRun: boolean, out: Output, retired: readonly string[] = []): Promise<number> {
  const {
    applySweep,
    planSweep,
    renewBackups,
    retireRecordsWithFindings,
    retireLegacyIndex,
    retireApprovals,
    retireOperationLogs,
    sweepStaging,
    inProcessLiveness,
  } = sweepModules();
  const plan = await planSweep(services, undefined, retired);
  const report: SweepReport = { at: plan.at, dryRun, plan: plan.items, protection: plan.protection };
  const verb = dryRun ? 'would' : 'will';
  for (const p of plan.protection) {
    out.line(describeProtection(p));
    for (const item of plan.items.filter((i) => i.service.toLowerCase() === p.service.toLowerCase() && (i.action !== 'keep' || i.markExpired))) {
      out.line(
        `  ${verb} ${item.action === 'keep' ? 'mark expired' : item.action} ${item.backupName} (${item.reason}, created ${item.createdAt}, expires ${item.expiresAt})`,
      );
    }
    const kept = plan.items.filter(
      (i) => i.service.toLowerCase() === p.service.toLowerCase() && i.action === 'keep' && ['newest-restorable', 'delete-refused'].includes(i.reason),
    );
    for (const item of kept)
      out.line(
        `  keeps ${item.backupName} (${item.reason === 'newest-restorable' ? 'newest restorable backup, kept past retention' : 'storage refused its deletion recently'})`,
      );
    if (p.renew) out.line(`  ${verb} start a backup (${p.renew})`);
  }
  // Instances no longer configured, swept only because the config or --retired names them.
  const configured = new Set(plan.protection.map((p) => p.service.toLowerCase()));
  for (const item of plan.items.filter((i) => !configured.has(i.service.toLowerCase()) && (i.action !== 'keep' || i.markExpired))) {
    out.line(
      `${item.service} (retired): ${verb} ${item.action === 'keep' ? 'mark expired' : item.action} ${item.backupName} (${item.reason}, created ${item.createdAt})`,
    );
  }
  if (!dryRun) {
    const work = plan.items.filter((i: SweepItem) => i.action !== 'keep' || i.markExpired);
    report.applied = await applySweep(services, work);
    for (const refused of report.applied.refused) out.error(`could not delete ${refused.backupName}: ${refused.code}: ${refused.message}`);
    if (plan.protection.some((p) => p.renew))
      report.renewals = await renewBackups(services, inProcessStarterModule().inProcessStarter(services), plan.protection);
    out.line(
      `deleted ${report.applied.deleted.length}, archived ${report.applied.archived.length}, marked expired ${report.applied.marked.length}, refused ${report.applied.refused.length}, renewed ${report.renewals?.started.length ?? 0}`,
    );
  }
  const records = await retireRecordsWithFindings(services, dryRun);
  report.retiredRecords = records.names;
  report.applyFindings = records.applyFindings;
  report.retiredApprovals = await retireApprovals(services, dryRun);
  const legacyIndex = await retireLegacyIndex(services, dryRun);
  if (legacyIndex) report.legacyIndex = legacyIndex;
  report.logs = await retireOperationLogs(services, dryRun);
  for (const line of retirementLines(report, verb)) out.line(line);
  report.staging = await sweepStaging(services, inProcessLiveness, dryRun);
  for (const run of report.staging.removed)
    out.line(`${verb} remove ${run.folder} (${run.blobs} staged blob(s), last written ${run.newestWrite}: its run has ended)`);
  if (out.json) out.data(report);
  return report.applied?.refused.length ? ExitCode.failed : ExitCode.ok;
}

/** What the retirement steps removed (or would), kind by kind, counts only; and what they left alone as not apim-dr's. */
export function retirementLines(report: SweepReport, verb: string): string[] {
  const lines: string[] = [];
  const records = report.retiredRecords ?? [];
  if (records.length) {
    const kinds = (['restores', 'migrations', 'snapshot-applies'] as const)
      .map((folder) => [folder, records.filter((n) => n.startsWith(`${folder}/`)).length] as const)
      .filter(([, n]) => n > 0)
      .map(([folder, n]) => `${n} ${RECORD_KINDS[folder]}`);
    lines.push(`${verb} retire ${records.length} record(s) past the record retention: ${kinds.join(', ')}`);
  }
  const approvals = report.retiredApprovals?.length ?? 0;
  if (approvals) lines.push(`${verb} retire ${approvals} decided approval record(s) past the record retention`);
  const findings = report.applyFindings;
  if (findings && findings.withRecords + findings.orphans)
    lines.push(
      `${verb} remove ${findings.withRecords + findings.orphans} apply findings blob(s): ${findings.withRecords} with their records, ${findings.orphans} whose record was gone`,
    );
  if (findings?.foreign) lines.push(`left alone: ${findings.foreign} blob(s) under snapshot-apply-findings/ that are not apim-dr's`);
  if (report.legacyIndex)
    lines.push(report.legacyIndex === 'removed' ? 'removed the old state/catalog-index.json' : "left alone: state/catalog-index.json, not apim-dr's");
  const logs = report.logs;
  if (logs?.operations) lines.push(`${verb} retire the event logs of ${logs.operations} operation(s) past the record retention (${logs.blobs} blob(s))`);
  if (logs?.foreign) lines.push(`left alone: ${logs.foreign} blob(s) under logs/ that are not apim-dr's`);
  return lines;
}

const RECORD_KINDS = { restores: 'restore', migrations: 'migration', 'snapshot-applies': 'snapshot apply' } as const;

function describeProtection(p: Protection): string {
  if (!p.newestRestorable) return `${p.service}: NO RESTORABLE BACKUP`;
  return `${p.service}: newest restorable ${p.newestRestorable.backupName}, ${formatDuration(p.ageMs!)} old${p.rpoBreached ? ' (RPO BREACHED)' : ''}, expires in ${formatDuration(p.expiresInMs!)}`;
}

export function registerSweep(program: Command, cli: CliContext): void {
  program
    .command('sweep')
    .description(
      'mark, delete or archive expired backups (never the newest restorable one, never a blob without a manifest) and renew instances close to expiry',
    )
    .option('--dry-run', 'show what would be done, change nothing')
    .option('--retired <names...>', 'also sweep the backups of these instances, no longer in the config (try with --dry-run first)')
    .action((options: { dryRun?: boolean; retired?: string[] }) =>
      cli.dispatch('sweep', undefined, () => sweepCommand(cli.services(), options.dryRun === true, cli.output(), options.retired ?? [])),
    );
}
