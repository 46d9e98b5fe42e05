/**
 * The migration dry runs: gather the instance (and for side by side the target) from ARM, what apim-dr can back up,
 * and what runs on them, then apply the rules in domain/migration.
 */
import { resolveInstance, restoreRelation, type ResolvedInstance } from '../../config/resolveService';
import type { Config } from '../../config/schema';
import { checkBackupReadiness, type ReadinessProblem } from '../../domain/backupReadiness';
import { targetLockId } from '../../domain/instanceIds';
import { holderWords } from '../targetLock';
import { checkMigration, checkSideBySide, regionsOf, type MigrationMode, type MigrationReport, type SideBySideReport } from '../../domain/migration';
import type { ServiceSnapshot } from '../../domain/service';
import type { Services } from '../../services';
import { storageProblems } from '../check/checkReadiness';
import { consentProblem } from '../restore/consent';
import { isActive, type OrchestrationStarter } from '../starter';

export interface InPlaceCheckRequest {
  service: string;
  mode?: MigrationMode;
}

export interface SideBySideCheckRequest {
  service: string;
  target: string;
}

/** ARM reads of other instances (for shared subnets) go out this many at a time. */
const NEIGHBOUR_READS = 8;

export async function checkInPlaceMigration(services: Services, request: InPlaceCheckRequest, starter?: OrchestrationStarter): Promise<MigrationReport> {
  const instance = resolveInstance(services.config, request.service, 'service');
  const [snapshot, gateways, running] = await Promise.all([
    services.apim.getService(instance.ref),
    services.apim.countWorkspaceGateways(instance.ref),
    runningChange(starter, instance),
  ]);
  const subnetNeighbours = snapshot.virtualNetworkType === 'None' ? [] : await neighboursInSubnets(services, instance, snapshot);
  return checkMigration({
    service: snapshot,
    mode: request.mode ?? 'PreserveIp',
    workspaceGateways: gateways,
    backupProblems: await preMigrationBackupProblems(services, instance, snapshot, gateways),
    runningOperation: running,
    subnetNeighbours,
    now: services.clock.now(),
  });
}

export async function checkSideBySideMigration(services: Services, request: SideBySideCheckRequest, starter?: OrchestrationStarter): Promise<SideBySideReport> {
  const source = resolveInstance(services.config, request.service, 'service');
  const target = resolveInstance(services.config, request.target, 'to');
  const [snapshot, sourceGateways, targetSnapshot, targetGateways, running] = await Promise.all([
    services.apim.getService(source.ref),
    services.apim.countWorkspaceGateways(source.ref),
    services.apim.getService(target.ref),
    services.apim.countWorkspaceGateways(target.ref),
    runningChange(starter, target),
  ]);
  return checkSideBySide({
    source: snapshot,
    target: targetSnapshot,
    targetWorkspaceGateways: targetGateways,
    consent: consentProblem(restoreRelation(source.ref.id, target), 'migration', false, source.ref.name, target.ref.name),
    access: target.protected?.access ?? services.config.defaults.access,
    backupProblems: await preMigrationBackupProblems(services, source, snapshot, sourceGateways),
    runningOperation: running,
    now: services.clock.now(),
  });
}

/** Why apim-dr could not take the pre-migration backup now: the way back depends on it. */
async function preMigrationBackupProblems(
  services: Services,
  instance: ResolvedInstance,
  snapshot: ServiceSnapshot,
  gateways: number,
): Promise<ReadinessProblem[]> {
  if (!instance.protected) {
    return [
      {
        code: 'NotProtected',
        message: `'${instance.ref.name}' is not a protected instance in the config, so apim-dr does not back it up`,
        fix: `add '${instance.ref.id}' to 'services' in the config, then check again`,
      },
    ];
  }
  return [...checkBackupReadiness(snapshot, gateways, instance.protected.access), ...(await storageProblems(services))];
}

/** A restore or migration holds an instance (one singleton per instance); says which, if one runs. */
export async function runningChange(starter: OrchestrationStarter | undefined, instance: ResolvedInstance): Promise<string | undefined> {
  if (!starter) return undefined;
  const id = targetLockId(instance.ref.name, instance.ref.id);
  const status = await starter.status(id);
  if (!status || !isActive(status.runtimeStatus)) return undefined;
  // 'a migration of' → 'a migration': the sentence names the instance elsewhere.
  const what = holderWords(status.name).replace(/ (of|into)$/, '');
  return `${what} (operation ${id}, since ${status.createdTime ?? 'unknown'}) is running`;
}

/** Other configured instances in one of this instance's subnets (ARM reads, a few at a time; unreadable ones are skipped). */
async function neighboursInSubnets(services: Services, instance: ResolvedInstance, snapshot: ServiceSnapshot): Promise<string[]> {
  const subnets = new Set(regionsOf(snapshot).flatMap((r) => (r.subnetId ? [r.subnetId.toLowerCase()] : [])));
  if (subnets.size === 0) return [];
  const others = configuredInstances(services.config).filter((id) => id.toLowerCase() !== instance.ref.id.toLowerCase());
  const found: string[] = [];
  for (let i = 0; i < others.length; i += NEIGHBOUR_READS) {
    const batch = others.slice(i, i + NEIGHBOUR_READS).map(async (id) => {
      try {
        const other = await services.apim.getService(resolveInstance(services.config, id, 'service').ref);
        if (regionsOf(other).some((r) => r.subnetId && subnets.has(r.subnetId.toLowerCase()))) found.push(other.name);
      } catch {
        // A neighbour apim-dr cannot read does not stop the dry run; the finding lists the ones it could.
      }
    });
    await Promise.all(batch);
  }
  return found.sort();
}

function configuredInstances(config: Config): string[] {
  const ids = config.services.flatMap((s) => [s.id, ...s.standbys.map((b) => b.id), ...(s.drill ? [s.drill.target] : [])]);
  return [...new Map(ids.map((id) => [id.toLowerCase(), id])).values()];
}
