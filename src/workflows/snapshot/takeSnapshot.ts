/**
 * Takes a configuration snapshot of one instance: reads every resource through ARM (bounded, paged, throttle-aware),
 * leaves secrets out, and stores one gzip document with its manifest. Returns the manifest's summary, never the
 * document: orchestration payloads stay small.
 */
import { resolveInstance } from '../../config/resolveService';
import { CONFIG_API_VERSION } from '../../azure/snapshot/armConfigClient';
import { readConfiguration, readPaths, type ConfigurationRead } from '../../azure/snapshot/readConfiguration';
import { scopeOfOnly } from '../../domain/snapshot/applyPlan';
import type { ServiceRef } from '../../domain/resourceId';
import { countByType, type SnapshotDocument } from '../../domain/snapshot/snapshotDocument';
import { SNAPSHOT_FORMAT, snapshotName, type SnapshotManifest, type SnapshotTrigger } from '../../domain/snapshot/snapshotManifest';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { pruneSnapshots } from './pruneSnapshots';

export interface TakeSnapshotInput {
  serviceId: string;
  trigger: SnapshotTrigger;
  requestedBy: string;
  /** The operation's correlation ID (a pre-apply snapshot's is its apply's): its events are kept under it. */
  correlationId?: string;
  /** Only what an `--only` apply of this snapshot touches (the way back of that apply), not the whole instance. */
  scope?: SnapshotScope;
}

export interface SnapshotScope {
  snapshotName: string;
  only: string[];
}

export interface SnapshotSummary {
  snapshotName: string;
  service: string;
  takenAt: string;
  resourceCount: number;
  counts: Record<string, number>;
  notCaptured: number;
  unreadable: string[];
  blobSize: number;
  armRequests: number;
}

export async function takeSnapshot(services: Services, input: TakeSnapshotInput): Promise<SnapshotSummary> {
  const ref = configuredInstance(services, input.serviceId);
  const manifest = await snapshotOf(services, ref, input.trigger, input.requestedBy, input.scope, input.correlationId);
  return summarize(manifest);
}

/** A protected instance, a standby or a drill target of the config: snapshots are taken of nothing else. */
export function configuredInstance(services: Services, nameOrId: string, field = 'service'): ServiceRef {
  const resolved = resolveInstance(services.config, nameOrId, field);
  if (!resolved.protected && resolved.standbyOf.length === 0 && resolved.drillTargetOf.length === 0) {
    throw new UserError(
      `${field} '${resolved.ref.id}' is not an instance of the config: add it to services or to a standbys list`,
      'not-found',
      'ServiceNotConfigured',
    );
  }
  return resolved.ref;
}

/** Takes and stores the snapshot; the manifest says what it holds and what it left out. */
export async function snapshotOf(
  services: Services,
  ref: ServiceRef,
  trigger: SnapshotTrigger,
  requestedBy: string,
  scope?: SnapshotScope,
  correlationId?: string,
): Promise<SnapshotManifest> {
  const takenAt = services.clock.now();
  const client = services.configClient(ref);
  // Scoped: the paths the apply may write (the named resources and what they need), as the source snapshot has them.
  const read = scope
    ? await readPaths(
        client,
        scopeOfOnly((await services.snapshots.readDocument(await services.snapshots.readManifest(scope.snapshotName))).resources, scope.only),
      )
    : await readConfiguration(client);
  return storeSnapshot(services, ref, { takenAt, read, armRequests: client.requests.count, trigger, requestedBy, scope, correlationId });
}

export interface ReadForSnapshot {
  takenAt: Date;
  read: ConfigurationRead;
  /** ARM requests the read made (the instance's GET is counted here). */
  armRequests: number;
  trigger: SnapshotTrigger;
  requestedBy: string;
  scope?: SnapshotScope;
  correlationId?: string;
}

/** Stores what was read as a snapshot (its tier and location from one GET of the instance), then retires old ones. */
export async function storeSnapshot(services: Services, ref: ServiceRef, taken: ReadForSnapshot): Promise<SnapshotManifest> {
  const { takenAt, read, trigger, requestedBy, scope, correlationId } = taken;
  const instance = await services.apim.getService(ref);
  const completedAt = services.clock.now().toISOString();
  const source = { id: ref.id, name: ref.name, sku: instance.sku };
  for (let attempt = 0; ; attempt++) {
    const name = snapshotName(ref.name, takenAt, trigger, attempt);
    const document: SnapshotDocument = {
      format: SNAPSHOT_FORMAT,
      apiVersion: CONFIG_API_VERSION,
      source,
      takenAt: takenAt.toISOString(),
      resources: read.resources,
      notCaptured: read.notCaptured,
    };
    try {
      const stored = await services.snapshots.write(document, {
        schemaVersion: 1,
        kind: 'apim-dr-snapshot',
        snapshotName: name,
        storageAccount: services.config.storage.account,
        container: services.snapshots.container.containerName,
        service: { ...source, location: instance.location },
        takenAt: takenAt.toISOString(),
        completedAt,
        trigger,
        requestedBy,
        ...(correlationId ? { correlationId } : {}),
        apiVersion: CONFIG_API_VERSION,
        counts: countByType(read.resources),
        resourceCount: read.resources.length,
        armRequests: taken.armRequests + 1,
        notCaptured: read.notCaptured,
        unreadable: read.unreadable,
        ...(scope ? { scope: scope.only } : {}),
      });
      services.logger.event('apim-dr.snapshot.taken', {
        ...(correlationId ? { correlationId } : {}),
        service: ref.name,
        trigger,
        requestedBy,
        snapshotName: name,
        resources: stored.resourceCount,
        notCaptured: stored.notCaptured.length,
        blobSize: stored.blobSize,
        armRequests: stored.armRequests,
      });
      await pruneSnapshots(services, ref.name);
      return stored;
    } catch (err) {
      // Two snapshots of one instance within a second: the second gets a suffix.
      if (err instanceof UserError && err.code === 'SnapshotExists' && attempt < 9) continue;
      throw err;
    }
  }
}

export function summarize(m: SnapshotManifest): SnapshotSummary {
  return {
    snapshotName: m.snapshotName,
    service: m.service.name,
    takenAt: m.takenAt,
    resourceCount: m.resourceCount,
    counts: m.counts,
    notCaptured: m.notCaptured.length,
    unreadable: m.unreadable.map((u) => `${u.type}: ${u.code}`),
    blobSize: m.blobSize,
    armRequests: m.armRequests,
  };
}
