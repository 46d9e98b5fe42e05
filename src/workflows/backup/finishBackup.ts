/** Activity: verify the finished backup's blob and settle its catalog record (idempotent). */
import { parseBackupName } from '../../domain/backupName';
import { closuresOnSuccess } from '../../domain/incidentClosures';
import type { BackupManifest } from '../../domain/manifest';
import type { Services } from '../../services';
import { settleOnce } from '../settleOnce';
import type { BackupSummary, FinishBackupInput } from './types';

export async function finishBackup(services: Services, input: FinishBackupInput): Promise<BackupSummary> {
  const manifest = await settleOnce<BackupManifest>({
    read: async () => {
      const stored = await services.catalog.read(input.backupName);
      return stored && { record: stored.manifest, etag: stored.etag };
    },
    vanished: `manifest for '${input.backupName}' vanished before the backup finished`,
    settle: (running) => settle(services, running, input),
    write: async (settled, etag) => {
      await services.catalog.update(settled, etag);
      if (settled.state === 'succeeded') await services.catalog.tagBackupBlob(settled);
    },
    report: (settled) => report(services, settled),
  });
  // Also when an earlier run settled the manifest: it may have failed before the index heard of it.
  await services.catalogIndex.record(manifest);
  return summarize(manifest);
}

async function report(services: Services, manifest: BackupManifest): Promise<void> {
  const name = manifest.state === 'succeeded' ? 'apim-dr.backup.succeeded' : 'apim-dr.backup.failed';
  const service = manifest.service?.name ?? parseBackupName(manifest.backupName)?.service ?? manifest.backupName;
  const completedAt = manifest.completedAt ?? services.clock.now().toISOString();
  services.logger.event(
    name,
    {
      service: manifest.service?.name,
      backupName: manifest.backupName,
      correlationId: manifest.correlationId,
      blobSize: manifest.blobSize,
      error: manifest.error,
    },
    manifest.state === 'succeeded' ? 'info' : 'error',
  );
  services.telemetry.operationFinished({
    kind: 'backup',
    service,
    state: manifest.state,
    startedAt: manifest.startedAt,
    completedAt,
    correlationId: manifest.correlationId,
    attributes: { 'apim_dr.backup_name': manifest.backupName, 'apim_dr.trigger': manifest.trigger },
    error: manifest.error,
  });
  await services.notifier.observe([
    {
      kind: 'backup.failed',
      subject: service,
      active: manifest.state === 'failed',
      at: completedAt,
      detail: manifest.error && `${manifest.error.code}: ${manifest.error.message}`,
    },
    // A backup that succeeded closes the refusals of this instance's backups, and shows it is not deleted.
    ...(manifest.state === 'succeeded' ? closuresOnSuccess('backup', service, completedAt) : []),
  ]);
}

async function settle(services: Services, manifest: BackupManifest, input: FinishBackupInput): Promise<BackupManifest> {
  const completedAt = services.clock.now().toISOString();
  if (input.outcome.status === 'failed') {
    return { ...manifest, state: 'failed', completedAt, error: { code: input.outcome.code, message: input.outcome.message } };
  }
  const size = await services.catalog.backupBlobSize(input.backupName);
  if (!size) {
    const error = {
      code: 'BackupBlobMissing',
      message: `APIM reported success but '${input.backupName}' is ${size === 0 ? 'empty' : 'missing'} in container '${manifest.container}'`,
    };
    return { ...manifest, state: 'failed', completedAt, error };
  }
  return { ...manifest, state: 'succeeded', completedAt, blobSize: size };
}

export function summarize(manifest: BackupManifest): BackupSummary {
  return {
    backupName: manifest.backupName,
    service: manifest.service?.name ?? parseBackupName(manifest.backupName)?.service ?? manifest.backupName,
    state: manifest.state,
    trigger: manifest.trigger,
    createdAt: manifest.createdAt,
    expiresAt: manifest.expiresAt,
    completedAt: manifest.completedAt,
    blobSize: manifest.blobSize,
    error: manifest.error,
  };
}
