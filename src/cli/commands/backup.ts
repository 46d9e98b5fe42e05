/** `apim-dr backup <service>`: back up one instance now, wait for it, print the backup name (or manifest). */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { randomUUID } from 'node:crypto';
import { resolveService } from '../../config/resolveService';
import { backupInstanceId } from '../../domain/instanceIds';
import type { Services } from '../../services';
import type { BackupRequest, BackupSummary } from '../../workflows/backup/types';
import { Orchestrations } from '../../workflows/names';
import { refuseNativeBackupOfV2 } from '../../workflows/snapshot/refuseNativeBackup';
import { ExitCode, type Output } from '../output';
import type { AppClient } from '../remote/appClient';
import { followOperation, type Accepted } from '../remote/followOperation';
import { runInProcessModule } from '../lazy';
import { cliRequester } from '../requestedBy';

export async function backupCommand(services: Services, service: string, out: Output): Promise<number> {
  const resolved = resolveService(services.config, service, '<service>');
  await refuseNativeBackupOfV2(services, resolved.ref);
  const request: BackupRequest = { serviceId: resolved.ref.id, trigger: 'manual', requestedBy: cliRequester(), correlationId: randomUUID() };
  const started = Date.now();
  out.progress(`backing up ${resolved.ref.name}…`);
  const instance = await runInProcessModule().runOrchestrationInProcess(
    services,
    Orchestrations.backup,
    backupInstanceId(resolved.ref.name, resolved.ref.id),
    request,
    {
      onStatus: (status) => {
        const s = status as { phase?: string; polls?: number; reason?: string } | null;
        if (s?.phase)
          out.progress(
            `${resolved.ref.name}: ${s.phase}${s.polls ? ` (check ${s.polls})` : ''}${s.reason ? `: ${s.reason}` : ''} · ${Math.round((Date.now() - started) / 1000)}s`,
          );
      },
    },
  );
  out.progress('');
  if (instance.runtimeStatus !== 'Completed') {
    out.error(`backup of ${resolved.ref.name} did not complete: ${String(instance.output)}`);
    return ExitCode.failed;
  }
  const summary = instance.output as BackupSummary;
  if (summary.state !== 'succeeded') {
    out.error(`backup of ${resolved.ref.name} failed: ${summary.error?.code}: ${summary.error?.message}`);
    if (out.json) out.data(summary);
    return ExitCode.failed;
  }
  if (!out.json) {
    out.line(summary.backupName);
    return ExitCode.ok;
  }
  const stored = await services.catalog.read(summary.backupName);
  // The operation token is apim-dr's own resume state, not something to hand around.
  const { operationToken: _resumeState, ...manifest } = stored?.manifest ?? { ...summary, operationToken: undefined };
  out.data(manifest);
  return ExitCode.ok;
}

/** Remote: the app backs up (`POST /api/backups`), as its own identity; followed to the end unless `wait` is false. */
export async function remoteBackup(app: AppClient, service: string, wait: boolean, out: Output): Promise<number> {
  const { body: accepted } = await app.post<Accepted & { service: string; started: boolean }>('/api/backups', { service });
  if (!wait)
    return printAccepted(accepted, accepted.started ? `backup of ${accepted.service} started` : `joined the running backup of ${accepted.service}`, out);
  const status = await followOperation(app, accepted, `backing up ${accepted.service}`, out);
  if (status.runtimeStatus !== 'Completed') {
    out.error(`backup of ${accepted.service} did not complete (${status.runtimeStatus}): ${String(status.output)}`);
    return ExitCode.failed;
  }
  const summary = status.output as BackupSummary;
  if (out.json) out.data(summary);
  if (summary.state !== 'succeeded') {
    out.error(`backup of ${accepted.service} failed: ${summary.error?.code}: ${summary.error?.message}`);
    return ExitCode.failed;
  }
  out.line(summary.backupName);
  return ExitCode.ok;
}

/** `--no-wait`: what was started and where to follow it. */
export function printAccepted(accepted: Accepted, what: string, out: Output): number {
  if (out.json) out.data(accepted);
  else {
    out.line(`${what}: operation ${accepted.id}`);
    out.line(`follow it: curl -s ${accepted.statusQueryGetUri}`);
  }
  return ExitCode.ok;
}

export function registerBackup(program: Command, cli: CliContext): void {
  program
    .command('backup <service>')
    .description('back up an instance now and wait for it; prints the backup name (--json: the manifest)')
    .action((service: string) =>
      cli.dispatch(
        'backup',
        (app) => remoteBackup(app, service, cli.wait(), cli.output()),
        () => backupCommand(cli.services(), service, cli.output()),
      ),
    );
}
