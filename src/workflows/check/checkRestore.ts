/**
 * The restore dry run: gathers the backup and the target (2 ARM reads, a few storage reads) and applies the rules.
 * The backup named (a standby's sync names the one just taken), or else the newest restorable one the catalog index
 * names, is read on its own and proven in storage (its manifest's tags, its blob, its manifest): a standby's sync
 * costs the same on day 30 as on day 1. Only when that backup is not restorable, or what the index names does not
 * hold, is the instance's catalog listed, so that the report can say why and offer the newest restorable one.
 */
import { clip } from '../../validation';
import { resolveInstance, resolveService, restoreRelation } from '../../config/resolveService';
import { checkRestoreCompatibility, type CompatibilityReport } from '../../domain/compatibility';
import type { CatalogEntry, StoredManifest } from '../../azure/catalog';
import { isRestorable, newestRestorable } from '../../domain/expiry';
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

  const wanted = request.backup && request.backup !== 'latest' ? request.backup : undefined;
  const [indexed, snapshot, gateways] = await Promise.all([
    provenRestorable(services, source.ref.name, wanted, now, margin),
    services.apim.getService(target.ref),
    services.apim.countWorkspaceGateways(target.ref),
  ]);
  let newest: CatalogEntry | undefined;
  let entry: CatalogEntry | undefined;
  if (indexed) {
    entry = indexed.entry;
    // A restorable backup is refused by no rule, so none needs the newest restorable one offered instead.
    newest = wanted ? undefined : indexed.entry;
  } else {
    const entries = await services.catalog.list(source.ref.name);
    newest = newestRestorable(entries, now, margin);
    // Without a name: the newest restorable backup, else the newest one of all, so the report can say why it is not.
    entry = wanted ? entries.find((e) => e.backupName === wanted) : (newest ?? entries.find((e) => e.state !== 'running'));
  }
  if (!entry) {
    throw new UserError(
      wanted
        ? `backup '${clip(wanted)}' is not in the catalog of '${source.ref.name}'; run 'apim-dr list ${source.ref.name}' to see its backups`
        : `'${source.ref.name}' has no backups yet; run 'apim-dr backup ${source.ref.name}' first`,
      'not-found',
      'BackupNotFound',
    );
  }
  const stored = indexed?.stored ?? (await services.catalog.read(entry.backupName));
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

/**
 * The backup `wanted`, or else the newest restorable one the index names for `source`, with its manifest, when storage
 * bears out that it is one of `source`'s and restorable: its manifest carries apim-dr's tags for it and they say so,
 * and the manifest describes that very backup in this catalog's container. Its blob's size is read as a listing would
 * give it. Undefined when any of that fails.
 */
async function provenRestorable(
  services: Services,
  source: string,
  wanted: string | undefined,
  now: Date,
  margin: number,
): Promise<{ entry: CatalogEntry; stored: StoredManifest } | undefined> {
  const name = wanted ?? newestRestorable((await services.catalogIndex.instance(source))?.entries ?? [], now, margin)?.backupName;
  if (!name) return undefined;
  const [entry, stored] = await Promise.all([services.catalog.entry(name), services.catalog.read(name).catch(() => undefined)]);
  const { container } = services.catalog;
  const proven =
    entry &&
    stored &&
    entry.service.toLowerCase() === source.toLowerCase() &&
    isRestorable(entry, now, margin) &&
    stored.manifest.backupName === entry.backupName &&
    stored.manifest.storageAccount === container.accountName &&
    stored.manifest.container === container.containerName;
  return proven ? { entry, stored } : undefined;
}
