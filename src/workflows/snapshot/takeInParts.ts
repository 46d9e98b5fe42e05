/**
 * The orchestration steps of a snapshot taken in parts (snapshotParts.ts), shared by the snapshot and apply
 * orchestrators: plan, read the parts a few at a time, put them together. A scoped snapshot (an --only apply's way
 * back) is bounded by its scope and stays one activity. The apply also reads its target in parts without storing a
 * snapshot (readInParts), for its dry run and its verification. Deterministic.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { activityRetry } from '../operation';
import { SnapshotActivities } from './names';
import type { FinishPartsInput, SnapshotPartInput, SnapshotPartsPlan, StagedRead } from './snapshotParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

/** Parts read at once: each already reads with the client's own bounded concurrency. */
export const PARTS_AT_ONCE = 4;

/** An instance read in parts and staged: the run, how many parts, when and at what cost. */
export interface PartsRead extends StagedRead {
  takenAt: string;
  armRequests: number;
}

export function* takeInParts(context: OrchestrationContext, input: TakeSnapshotInput): Generator<Task, SnapshotSummary, unknown> {
  if (input.scope) return (yield context.df.callActivityWithRetry(SnapshotActivities.take, activityRetry(), input)) as SnapshotSummary;
  const read = yield* readInParts(context, input);
  return yield* finishInParts(context, input, read);
}

/** Reads the instance in parts, each staged in the state container; nothing is stored as a snapshot yet. */
export function* readInParts(context: OrchestrationContext, input: TakeSnapshotInput): Generator<Task, PartsRead, unknown> {
  const runId = `${context.df.instanceId}.${context.df.currentUtcDateTime.getTime()}`;
  const plan = (yield context.df.callActivityWithRetry(SnapshotActivities.planParts, activityRetry(), input)) as SnapshotPartsPlan;
  let armRequests = plan.armRequests;
  for (let first = 0; first < plan.parts.length; first += PARTS_AT_ONCE) {
    const reads = plan.parts.slice(first, first + PARTS_AT_ONCE).map((part, i) => {
      const partInput: SnapshotPartInput = { serviceId: input.serviceId, runId, index: first + i, part };
      return context.df.callActivityWithRetry(SnapshotActivities.readPart, activityRetry(), partInput);
    });
    const done = (yield context.df.Task.all(reads)) as { armRequests: number }[];
    armRequests += done.reduce((sum, d) => sum + d.armRequests, 0);
  }
  return { runId, parts: plan.parts.length, takenAt: plan.takenAt, armRequests };
}

/** Stores what readInParts staged as one snapshot, and clears the parts. */
export function* finishInParts(context: OrchestrationContext, input: TakeSnapshotInput, read: PartsRead): Generator<Task, SnapshotSummary, unknown> {
  const finish: FinishPartsInput = { ...input, runId: read.runId, takenAt: read.takenAt, parts: read.parts, armRequests: read.armRequests };
  return (yield context.df.callActivityWithRetry(SnapshotActivities.finishParts, activityRetry(), finish)) as SnapshotSummary;
}

/** Clears what readInParts staged, when no snapshot is stored from it. */
export function clearParts(context: OrchestrationContext, read: StagedRead): Task {
  const staged: StagedRead = { runId: read.runId, parts: read.parts };
  return context.df.callActivityWithRetry(SnapshotActivities.clearParts, activityRetry(), staged);
}
