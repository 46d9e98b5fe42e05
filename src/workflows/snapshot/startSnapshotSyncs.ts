/**
 * Standby sync with snapshots: a standby is kept in sync by applying its source's newest snapshot when the source is
 * protected by snapshots and the source or the standby is on a v2 tier (no native backup or restore there). The tick's
 * sync step calls `startSnapshotSyncs`; native restores leave those standbys alone.
 */
import { randomUUID } from 'node:crypto';
import { protectedServices } from '../../config/resolveService';
import { snapshotApplyLog } from '../../azure/snapshot/applyLog';
import { groupBy } from '../../domain/groupBy';
import { parseServiceId } from '../../domain/resourceId';
import type { ApplyRecord } from '../../domain/snapshot/applyRecord';
import { standbySecretList } from '../../domain/snapshot/standbySecrets';
import { standbyOverrideList } from '../../domain/snapshot/valueOverrides';
import { isV2 } from '../../domain/snapshot/tierLimits';
import { planSnapshotSyncs, type PlannedSnapshotSync, type SnapshotSyncSource } from '../../domain/snapshotSyncPlan';
import { ensureError } from '../../errors';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import type { ApplyRequest } from './applySnapshot';
import { instanceTier } from './instanceTier';
import { snapshotApplyInstanceId, SnapshotOrchestrations } from './names';
import { TARGET_LOCK_PREFIX } from '../../domain/instanceIds';
import { snapshotOnlyServices } from './snapshotTick';
import { isUnresolvedReference } from '../../domain/snapshot/secretFields';

/**
 * Every enabled source protected by snapshots, with those of its standbys that snapshots keep in sync (manual ones
 * included: status shows them from their applies). `snapshotOnly` is the tick's own set of v2 sources, when it has one.
 */
export async function snapshotSyncSources(services: Services, snapshotOnly?: ReadonlySet<string>): Promise<SnapshotSyncSource[]> {
  const candidates = protectedServices(services.config).filter((s) => s.config.enabled && s.config.snapshots && s.config.standbys.length);
  if (candidates.length === 0) return [];
  const v2Sources = snapshotOnly ?? (await snapshotOnlyServices(services));
  const sources: SnapshotSyncSource[] = [];
  for (const s of candidates) {
    const standbys: SnapshotSyncSource['standbys'] = [];
    for (const b of s.config.standbys) {
      const ref = parseServiceId(b.id);
      if (!ref) continue;
      // A v2 source has no backup to restore; a v2 standby cannot take a native restore: snapshots carry both.
      const bySnapshots = v2Sources.has(s.ref.name.toLowerCase()) || isV2((await instanceTier(services, ref)) ?? '');
      if (bySnapshots) {
        standbys.push({
          name: ref.name,
          id: ref.id,
          sync: b.sync,
          ...(b.secrets ? { secrets: b.secrets } : {}),
          ...(b.overrides ? { overrides: b.overrides } : {}),
        });
      }
    }
    if (standbys.length) sources.push({ name: s.ref.name, id: s.ref.id, standbys });
  }
  return sources;
}

/** The newest apply records of each standby, newest first (one listing per standby). */
export async function applyRecordsOf(services: Services, sources: readonly SnapshotSyncSource[]): Promise<Map<string, ApplyRecord[]>> {
  const log = snapshotApplyLog(services.snapshots.container);
  const names = [...new Set(sources.flatMap((s) => s.standbys.map((b) => b.name.toLowerCase())))];
  return new Map(await Promise.all(names.map(async (name) => [name, await log.recent(name)] as const)));
}

export interface SnapshotSyncs {
  started: PlannedSnapshotSync[];
  /** Standbys (lower case) snapshots keep in sync: native restores plan nothing into them. */
  targets: Set<string>;
}

export async function startSnapshotSyncs(
  services: Services,
  starter: OrchestrationStarter,
  correlationId: string,
  snapshotOnly?: ReadonlySet<string>,
): Promise<SnapshotSyncs> {
  const sources = await snapshotSyncSources(services, snapshotOnly);
  const targets = new Set(sources.flatMap((s) => s.standbys.map((b) => b.name.toLowerCase())));
  const due = sources.filter((s) => s.standbys.some((b) => b.sync !== 'manual'));
  if (due.length === 0) return { started: [], targets };
  const [entries, records, running] = await Promise.all([services.snapshots.list(), applyRecordsOf(services, due), starter.running(TARGET_LOCK_PREFIX)]);
  const snapshots = new Map([...groupBy(entries, (e) => e.service.toLowerCase())].map(([k, v]) => [k, v.map((e) => e.snapshotName)]));
  const runningIds = new Set(running);
  const busy = new Set(
    due
      .flatMap((s) => s.standbys)
      .filter((b) => runningIds.has(snapshotApplyInstanceId(b.name, b.id)))
      .map((b) => b.name.toLowerCase()),
  );
  // Presence only: a setting's value is read by the apply that uses it, never here.
  // A Key Vault reference App Service could not resolve is no more set than a missing setting: no retry on it.
  const isSet = (setting: string) => {
    const value = services.settings[setting];
    return !!value && !isUnresolvedReference(value);
  };
  const plan = planSnapshotSyncs({ sources: due, snapshots, records, busy, now: services.clock.now(), isSet });
  const started: PlannedSnapshotSync[] = [];
  for (const p of plan) {
    // The config that names this standby is the consent to replace its configuration, as for a native sync; mirror
    // makes it equal to the source's. The apply orchestration still checks the standby relation and runs the dry run.
    // The standby's secrets travel by their app settings' names; the apply reads the values where it runs.
    const standby = due.find((s) => s.name === p.source)?.standbys.find((b) => b.name === p.target);
    const secrets = standbySecretList(standby?.secrets);
    // Its overrides are no secrets: they travel as they are, and the apply records them.
    const overrides = standbyOverrideList(standby?.overrides);
    const input: ApplyRequest = {
      snapshotName: p.snapshotName,
      target: p.targetId,
      mirror: true,
      requestedBy: `sync:${p.reason}`,
      // Its own: the tick's correlation ID is every sync's it starts.
      correlationId: randomUUID(),
      purpose: 'sync',
      ...(secrets.length ? { standbySecrets: secrets } : {}),
      ...(overrides.length ? { standbyOverrides: overrides } : {}),
    };
    try {
      const { started: fresh } = await starter.start(SnapshotOrchestrations.apply, snapshotApplyInstanceId(p.target, p.targetId), input);
      if (!fresh) continue;
    } catch (err) {
      // This target's failure alone: tried again at the next tick, the others go on.
      services.logger.event(
        'apim-dr.sync.start-failed',
        { correlationId, source: p.source, target: p.target, via: 'snapshot', error: ensureError(err).message },
        'error',
      );
      continue;
    }
    started.push(p);
    services.logger.event('apim-dr.sync.started', {
      correlationId,
      source: p.source,
      target: p.target,
      via: 'snapshot',
      snapshotName: p.snapshotName,
      reason: p.reason,
      superseded: p.superseded,
    });
  }
  return { started, targets };
}
