/** The state of DR at a glance: per instance, what is restorable, how old, when it expires, what failed, what runs. */
import type { CatalogIndexView } from '../../azure/catalogIndex';
import { protectedServices } from '../../config/resolveService';
import { backupInstanceId } from '../../domain/instanceIds';
import { groupBy } from '../../domain/groupBy';
import { parseServiceId } from '../../domain/resourceId';
import type { RestoreRecord } from '../../domain/restoreRecord';
import { durationStats, scheduleRpoProblem } from '../../domain/rpoPlan';
import { standbySync, type StandbySync } from '../../domain/standbySync';
import type { Services } from '../../services';
import { assessFleet } from './assessFleet';
import { discoveryStatus, instanceDiscovery, type DiscoveryStatus, type InstanceDiscovery } from './discoveryStatus';
import { snapshotStatuses, type SnapshotProtection } from './snapshotStatus';
import { latestMigrations, type MigrationStatus } from './migrationStatus';
import { runningRestores, type RestoreProgress } from './runningRestores';
import { isActive, type OrchestrationStarter } from '../starter';

/** What the status needs of the catalog: entries newest first (all of them, or the index's digest) and recent durations. */
export type CatalogSummary = Pick<CatalogIndexView, 'entries' | 'durations'>;

export type ProtectionLevel = 'protected' | 'at-risk' | 'unprotected';

export interface InstanceStatus extends Partial<InstanceDiscovery> {
  service: string;
  id: string;
  protection: ProtectionLevel;
  reasons: string[];
  rpoMs: number;
  newestRestorable?: { backupName: string; createdAt: string; expiresAt: string; ageMs: number; expiresInMs: number };
  lastAttempt?: { backupName: string; state: string; createdAt: string; trigger: string };
  lastFailure?: { backupName: string; createdAt: string; code: string; message: string };
  running?: { phase?: string; backupName?: string; since?: string };
  /** A restore running into this instance (its configuration is being replaced): its phase and progress. */
  restoring?: RestoreInto;
  pendingChanges?: { count: number; firstAt?: string; lastAt?: string };
  standbys: (StandbySync & { progress?: RestoreInto })[];
  /** The newest drill of this instance, if it has a drill. */
  lastDrill?: DrillResult;
  /** Its platform (stv1, stv2, stv2.1, …) as of its newest backup. */
  platform?: string;
  /** Its newest migration off stv1, running or done. */
  migration?: MigrationStatus;
  /** Set when its schedule alone cannot hold its RPO (apim-dr adds backups to hold it). */
  scheduleWarning?: string;
  /** Its configuration snapshots, when `snapshots` is configured; for a v2 instance they decide `protection`. */
  snapshots?: SnapshotProtection;
}

/** A restore into an instance while it runs: its progress as the operation reports it, and its record once written. */
export type RestoreInto = Partial<RestoreProgress> & { recordName?: string; source?: string };

export interface DrillResult {
  target: string;
  state: RestoreRecord['state'];
  backupName?: string;
  requestedAt: string;
  completedAt?: string;
  rtoMs?: number;
  error?: string;
}

export interface FleetStatus {
  at: string;
  summary: Record<ProtectionLevel, number>;
  /** Instances whose newest backup says they still run on the retired stv1 platform. */
  onStv1: number;
  /** Subscriptions where the schedule tick found ARM unreachable, and since when: their new backups wait. */
  armUnreachable: { subscriptionId: string; since: string; message: string }[];
  /** Tag discovery, when configured: the last refresh, what it found and lost, and whether it failed. */
  discovery?: DiscoveryStatus;
  instances: InstanceStatus[];
}

/** `starter` is optional: the CLI, outside the Functions app, cannot see running orchestrations. */
export async function fleetStatus(services: Services, starter?: OrchestrationStarter): Promise<FleetStatus> {
  return fleetStatusOf(services, services.catalogIndex.view(), starter);
}

/** The same, from the catalog's index or a listing the caller also uses; it is awaited alongside the pending changes. */
export async function fleetStatusOf(services: Services, catalog: Promise<CatalogSummary>, starter?: OrchestrationStarter): Promise<FleetStatus> {
  await services.fleet.sync();
  const now = services.clock.now();
  const [{ entries, durations }, pending, migrations, outages, running, { protection: snapshots, standbys: snapshotStandbys }] = await Promise.all([
    catalog,
    services.changes.pending(),
    latestMigrations(services, starter),
    services.armHealth.read(),
    // One query for the running backups; their phases are then asked of those alone.
    starter ? starter.running('backup-') : Promise.resolve([]),
    snapshotStatuses(services),
  ]);
  const runningIds = new Set(running);
  const [restoreRecords, restoring] = await Promise.all([
    services.restores.recentOf(restoreTargetNames(services)),
    runningRestores(starter, restoreTargets(services)),
  ]);
  const recentRestores = (target: string) => restoreRecords.get(target.toLowerCase()) ?? [];
  const restoreInto = (target: string) => restoreIntoOf(restoring.get(target.toLowerCase()), recentRestores(target));
  const protection = assessFleet(services, entries, now);
  const byService = groupBy(entries, (e) => e.service.toLowerCase());
  const instances = await Promise.all(
    protectedServices(services.config)
      .filter((s) => s.config.enabled)
      .map(async (s): Promise<InstanceStatus> => {
        const key = s.ref.name.toLowerCase();
        const mine = byService.get(key) ?? [];
        const p = protection.find((x) => x.service.toLowerCase() === key)!;
        const lastAttempt = mine.find((e) => e.state !== 'running') ?? mine[0];
        const failed = mine.find((e) => e.state === 'failed');
        // The index keeps the reason of the newest failure; a full listing (the dashboard's) does not.
        const failure = failed ? (failed.error ?? (await services.catalog.read(failed.backupName))?.manifest.error) : undefined;
        const backupId = backupInstanceId(s.ref.name, s.ref.id);
        const run = starter && runningIds.has(backupId) ? await starter.status(backupId) : undefined;
        const reasons: string[] = [];
        if (!p.restorable) reasons.push('no restorable backup');
        if (p.restorable && p.rpoBreached) reasons.push('newest restorable backup is older than the RPO');
        if (p.renew === 'expiring-soon') reasons.push('newest restorable backup expires soon');
        if (lastAttempt?.state === 'failed') reasons.push('last backup failed');
        const discovered = instanceDiscovery(services.config, s.ref.id);
        if (discovered.findings) reasons.push(...discovered.findings);
        let level: ProtectionLevel = !p.restorable ? 'unprotected' : reasons.length ? 'at-risk' : 'protected';
        const snapshot = snapshots.get(key);
        if (snapshot?.only) {
          // A v2 instance has no native backup: its snapshots are its protection.
          reasons.splice(
            0,
            reasons.length,
            ...(snapshot.newest ? (snapshot.rpoBreached ? ['newest snapshot is older than the RPO'] : []) : ['no snapshot yet']),
          );
          level = !snapshot.newest ? 'unprotected' : snapshot.rpoBreached ? 'at-risk' : 'protected';
        }
        const custom = run?.customStatus as { phase?: string; backupName?: string } | undefined;
        return {
          service: s.ref.name,
          id: s.ref.id,
          ...discovered,
          protection: level,
          reasons,
          rpoMs: s.rpoMs,
          newestRestorable: p.newestRestorable ? { ...p.newestRestorable, ageMs: p.ageMs!, expiresInMs: p.expiresInMs! } : undefined,
          lastAttempt: lastAttempt
            ? { backupName: lastAttempt.backupName, state: lastAttempt.state, createdAt: lastAttempt.createdAt, trigger: lastAttempt.trigger }
            : undefined,
          lastFailure: failed && failure ? { backupName: failed.backupName, createdAt: failed.createdAt, ...failure } : undefined,
          running: run && isActive(run.runtimeStatus) ? { phase: custom?.phase, backupName: custom?.backupName, since: run.createdTime } : undefined,
          restoring: restoreInto(s.ref.name),
          pendingChanges: pending.get(key),
          platform: mine.find((e) => e.platform)?.platform,
          scheduleWarning: s.schedule ? scheduleRpoProblem(s.schedule, s.rpoMs, durationStats(durations.get(key) ?? []), now) : undefined,
          migration: migrations.get(key),
          snapshots: snapshot,
          lastDrill: s.config.drill ? lastDrill(recentRestores, s.ref.name, s.config.drill.target) : undefined,
          standbys: s.config.standbys.map((b) => {
            const name = parseServiceId(b.id)?.name ?? b.id;
            // A standby kept by snapshots: its state from the newest apply into it.
            const bySnapshots = snapshotStandbys.get(`${s.ref.name}→${name}`.toLowerCase());
            const progress = restoreInto(name);
            const sync = bySnapshots ?? standbySync({ service: name, sync: b.sync }, s.ref.name, p.newestRestorable, recentRestores(name));
            // A restore or a snapshot apply running into it holds it: restoring, whatever its newest record says.
            return progress ? { ...sync, state: 'restoring' as const, progress } : sync;
          }),
        };
      }),
  );
  const summary: Record<ProtectionLevel, number> = { protected: 0, 'at-risk': 0, unprotected: 0 };
  for (const i of instances) summary[i.protection] += 1;
  return {
    at: now.toISOString(),
    summary,
    onStv1: instances.filter((i) => i.platform === 'stv1').length,
    armUnreachable: Object.entries(outages).map(([subscriptionId, o]) => ({ subscriptionId, ...o })),
    discovery: discoveryStatus(services),
    instances,
  };
}

/** Every standby and drill target of the enabled instances, by name. */
function restoreTargetNames(services: Services): string[] {
  return protectedServices(services.config)
    .filter((s) => s.config.enabled)
    .flatMap((s) => [...s.config.standbys.map((b) => b.id), ...(s.config.drill ? [s.config.drill.target] : [])])
    .map((id) => parseServiceId(id)?.name ?? id);
}

/** Every instance a restore may run into: the enabled instances themselves (in place), their standbys and drill targets. */
function restoreTargets(services: Services): { name: string; id: string }[] {
  const ids = protectedServices(services.config)
    .filter((s) => s.config.enabled)
    .flatMap((s) => [s.ref.id, ...s.config.standbys.map((b) => b.id), ...(s.config.drill ? [s.config.drill.target] : [])]);
  const refs = ids.flatMap((id) => {
    const ref = parseServiceId(id);
    return ref ? [{ name: ref.name, id: ref.id }] : [];
  });
  return [...new Map(refs.map((r) => [r.id.toLowerCase(), r])).values()];
}

/** The running restore into an instance, from the operation (phase, percent) and its record (source, name), either or both. */
function restoreIntoOf(progress: RestoreProgress | undefined, records: readonly RestoreRecord[]): RestoreInto | undefined {
  const record = records[0]?.state === 'running' ? records[0] : undefined;
  if (!progress && !record) return undefined;
  return {
    ...(record ? { recordName: record.recordName, source: record.source, since: record.requestedAt } : {}),
    ...progress,
  };
}

function lastDrill(recentRestores: (target: string) => RestoreRecord[], source: string, targetId: string): DrillResult | undefined {
  const target = parseServiceId(targetId)?.name ?? targetId;
  const drill = recentRestores(target).find((r) => r.purpose === 'drill' && r.source.toLowerCase() === source.toLowerCase());
  if (!drill) return undefined;
  const blocking = drill.findings.find((f) => f.severity === 'blocking');
  const error = drill.error ? `${drill.error.code}: ${drill.error.message}` : blocking && `${blocking.code}: ${blocking.message}`;
  return {
    target,
    state: drill.state,
    backupName: drill.backupName,
    requestedAt: drill.requestedAt,
    completedAt: drill.completedAt,
    rtoMs: drill.rtoMs,
    error,
  };
}
