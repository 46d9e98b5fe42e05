/**
 * `apim-dr restore --from <service> --to <service> [--backup NAME|latest] --yes`: the break-glass path. It runs
 * in this process, so it works when the Functions app is down. Without --yes it shows the dry run and asks.
 */
import { createInterface } from 'node:readline/promises';
import { resolveInstance } from '../../config/resolveService';
import { UserError } from '../../errors';
import { inProcessStarter } from '../../local/inProcessStarter';
import type { Services } from '../../services';
import { checkRestore } from '../../workflows/check/checkRestore';
import { requestRestore } from '../../workflows/restore/requestRestore';
import type { RestoreSummary } from '../../workflows/restore/types';
import { ExitCode, type Output } from '../output';
import { cliRequester } from '../requestedBy';

export interface RestoreOptions {
  from: string;
  to: string;
  backup?: string;
  yes?: boolean;
}

export async function restoreCommand(services: Services, options: RestoreOptions, out: Output, input: NodeJS.ReadStream = process.stdin): Promise<number> {
  const target = resolveInstance(services.config, options.to, '--to').ref.name;
  let confirm: string | undefined = options.yes ? target : undefined;
  if (!options.yes) {
    const report = await checkRestore(services, { source: options.from, target: options.to, backup: options.backup });
    out.line(`${report.verdict}: ${report.backupName} → ${report.target}`);
    for (const f of report.findings.filter((x) => x.severity !== 'info')) out.line(`  ${f.severity.padEnd(8)} ${f.code}: ${f.message}`);
    if (!input.isTTY) throw new UserError(`refusing to restore into '${target}' without --yes when no one can confirm at a terminal`);
    const rl = createInterface({ input, output: process.stderr });
    confirm = (await rl.question(`This replaces the whole configuration of '${target}'. Type its name to go on: `)).trim();
    rl.close();
  }
  let summary: RestoreSummary | undefined;
  const starter = inProcessStarter(services, (_id, output) => (summary = output as RestoreSummary));
  out.progress(`restoring into ${target}…`);
  await requestRestore(services.config, starter, { source: options.from, target: options.to, backup: options.backup, confirm, requestedBy: cliRequester() });
  out.progress('');
  if (!summary) {
    out.error(`the restore into ${target} did not finish`);
    return ExitCode.failed;
  }
  if (out.json) out.data(summary);
  if (summary.state === 'refused') {
    for (const f of summary.findings.filter((x) => x.severity === 'blocking')) out.error(`${f.code}: ${f.message} (fix: ${f.fix})`);
    return ExitCode.notRestorable;
  }
  if (summary.state !== 'succeeded') {
    out.error(`restore into ${target} failed: ${summary.error?.code}: ${summary.error?.message}`);
    return ExitCode.failed;
  }
  out.line(`restored ${summary.backupName} into ${target} in ${Math.round((summary.rtoMs ?? 0) / 1000)} s; verified: ${JSON.stringify(summary.verification?.actual)}`);
  return ExitCode.ok;
}
