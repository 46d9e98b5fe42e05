/** The restore dry run: gathers the backup and the target (2 ARM reads, 2 storage reads) and applies the rules. */
import { clip } from '../../validation';
import { resolveInstance, resolveService, restoreRelation } from '../../config/resolveService';
import { checkRestoreCompatibility, type CompatibilityReport } from '../../domain/compatibility';
import { newestRestorable } from '../../domain/expiry';
import { UserError } from '../../errors';
import type { Services } from '../../services';

export interface CheckRequest {
  source: string;
  target: string;
  /** A backup name, or 'latest' / undefined for the newest restorable backup of the source. */
  backup?: string;
  allowInPlace?: boolean;
}

export async function checkRestore(services: Services, request: CheckRequest): Promise<CompatibilityReport> {
  const { config, clock } = services;
  const source = resolveService(config, request.source, 'source');
  const target = resolveInstance(config, request.target, 'target');
  const now = clock.now();
  const margin = config.defaults.restoreMargin;

  const [entries, snapshot, gateways] = await Promise.all([
    services.catalog.list(source.ref.name),
    services.apim.getService(target.ref),
    services.apim.countWorkspaceGateways(target.ref),
  ]);
  const newest = newestRestorable(entries, now, margin);
  const wanted = request.backup && request.backup !== 'latest' ? request.backup : undefined;
  // Without a name: the newest restorable backup, else the newest one of all, so the report can say why it is not.
  const entry = wanted ? entries.find((e) => e.backupName === wanted) : (newest ?? entries.find((e) => e.state !== 'running'));
  if (!entry) {
    throw new UserError(
      wanted
        ? `backup '${clip(wanted)}' is not in the catalog of '${source.ref.name}'; run 'apim-dr list ${source.ref.name}' to see its backups`
        : `'${source.ref.name}' has no backups yet; run 'apim-dr backup ${source.ref.name}' first`,
      'not-found',
      'BackupNotFound',
    );
  }
  const stored = await services.catalog.read(entry.backupName);
  if (!stored?.manifest.service) {
    throw new UserError(
      `backup '${entry.backupName}' has no record of its source instance (it failed before reading it): choose another backup`,
      'refused',
      'BackupUnusable',
    );
  }
  const manifest = stored.manifest;
  return checkRestoreCompatibility({
    backup: { ...manifest, source: manifest.service!, blobSize: entry.blob?.size },
    target: snapshot,
    targetWorkspaceGateways: gateways,
    access: target.protected?.access ?? config.defaults.access,
    // A drill target, like a standby, exists to have its configuration replaced.
    targetIsStandby: ['standby', 'drill-target'].includes(restoreRelation(source.ref.id, target)),
    allowInPlace: request.allowInPlace === true,
    newestRestorable: newest,
    now,
    restoreMarginMs: margin,
  });
}
