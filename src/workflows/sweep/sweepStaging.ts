/**
 * The daily sweep's step for staged runs: what a snapshot taken in parts or an apply in steps left in the state
 * container because its run failed, was terminated or lost its host (the finish clears a run that ends). Removes only
 * blobs tagged by apim-dr for their run, older than STAGING_SAFE_AGE_MS, whose orchestration no longer runs; reports
 * what it removed (the run's `staging` part and the log event `apim-dr.sweep.staging`).
 */
import { z } from 'zod';
import { STAGING_PREFIXES } from '../../azure/stateLayout';
import { storageError, storageStatus } from '../../azure/storageErrors';
import {
  groupStaged,
  planStagingSweep,
  runOrchestration,
  STAGING_TAG,
  type RunLiveness,
  type StagedBlob,
  type StagingDecision,
} from '../../domain/stagingSweepPlan';
import type { Services } from '../../services';
import { activityBoundMs } from '../operation';
import { isActive, type OrchestrationStarter } from '../starter';
import { part } from './runParts';

/**
 * A live run writes to its staging at least once per activity (each batch of parts, each step) and clears it in its
 * finish, so its newest write is never older than one activity with its retries (activityBoundMs: 51 min 15 s); twice
 * that, for the wait between activities and parts queued behind others, is 1 h 42 min 30 s.
 */
export const STAGING_SAFE_AGE_MS = 2 * activityBoundMs();

export interface SweepStagingRequest {
  runId: string;
  dryRun: boolean;
}

export const stagingPartSchema = z.object({
  removed: z.array(z.object({ folder: z.string(), blobs: z.number(), newestWrite: z.string() })),
  kept: z.array(z.object({ folder: z.string(), reason: z.enum(['live', 'recent', 'ended']) })),
  foreign: z.array(z.string()),
});
export type StagingReport = z.output<typeof stagingPartSchema>;

export type Liveness = (run: string) => Promise<RunLiveness>;

export async function sweepStaging(services: Services, liveness: Liveness, dryRun: boolean): Promise<StagingReport> {
  const container = services.snapshots.container;
  const report: StagingReport = { removed: [], kept: [], foreign: [] };
  for (const prefix of STAGING_PREFIXES) {
    const blobs: StagedBlob[] = [];
    try {
      for await (const blob of container.listBlobsFlat({ prefix, includeTags: true })) blobs.push({ name: blob.name, tags: blob.tags ?? {} });
    } catch (err) {
      throw storageError(err, `list '${prefix}'`);
    }
    const runs = groupStaged(prefix, blobs);
    report.foreign.push(...runs.flatMap((r) => r.foreign));
    const decisions = await planStagingSweep(runs, services.clock.now(), STAGING_SAFE_AGE_MS, liveness);
    for (const decision of decisions) {
      if (decision.action === 'keep') {
        report.kept.push({ folder: decision.folder, reason: decision.reason });
        continue;
      }
      if (!dryRun) await removeOwned(services, decision);
      report.removed.push({ folder: decision.folder, blobs: decision.blobs.length, newestWrite: decision.newestWrite });
    }
  }
  if (report.removed.length)
    services.logger.event('apim-dr.sweep.staging', {
      dryRun,
      removedRuns: report.removed.map((r) => r.folder),
      removedBlobs: report.removed.reduce((sum, r) => sum + r.blobs, 0),
      foreign: report.foreign.length,
    });
  return report;
}

/** The sweep orchestration's step: the report stays in the run's storage; the orchestration gets counts. */
export async function sweepStagingForRun(
  services: Services,
  starter: OrchestrationStarter,
  request: SweepStagingRequest,
): Promise<{ removedRuns: number; removedBlobs: number; kept: number; foreign: number }> {
  const report = await sweepStaging(services, taskHubLiveness(starter), request.dryRun === true);
  await services.sweepRuns.write(request.runId, part.staging, report, services.clock.now());
  return {
    removedRuns: report.removed.length,
    removedBlobs: report.removed.reduce((sum, r) => sum + r.blobs, 0),
    kept: report.kept.length,
    foreign: report.foreign.length,
  };
}

/** What the task hub says of the orchestration a run names (the app's sweep). */
export function taskHubLiveness(starter: OrchestrationStarter): Liveness {
  return async (run) => {
    const orchestration = runOrchestration(run);
    if (!orchestration) return { state: 'unknown' };
    const status = await starter.status(orchestration.instanceId);
    if (!status) return { state: 'unknown' };
    if (!isActive(status.runtimeStatus)) return { state: 'ended' };
    const createdAt = status.createdTime ? Date.parse(status.createdTime) : NaN;
    return Number.isFinite(createdAt) ? { state: 'active', createdAt } : { state: 'active' };
  };
}

/**
 * The CLI's sweep cannot see the app's task hub: a run naming an orchestration is taken to be running (the app's own
 * sweep removes it once it has ended); a run of an in-process apply (the CLI's, `in-process.<id>`) has none.
 */
export const inProcessLiveness: Liveness = (run) => Promise.resolve(runOrchestration(run) ? { state: 'active' } : { state: 'unknown' });

/** Deletes each blob of the decision whose tags, read again right before, still name this run as apim-dr's. */
async function removeOwned(services: Services, decision: StagingDecision): Promise<void> {
  const container = services.snapshots.container;
  for (const name of decision.blobs) {
    const blob = container.getBlockBlobClient(name);
    try {
      const { tags } = await blob.getTags();
      if (tags[STAGING_TAG.name] !== STAGING_TAG.value || tags.run !== decision.run) continue;
      await blob.deleteIfExists();
    } catch (err) {
      if (storageStatus(err) === 404) continue;
      throw storageError(err, `remove staged '${name}'`);
    }
  }
}
