/**
 * The orchestration steps of a snapshot taken in parts (snapshotParts.ts), shared by the snapshot and apply
 * orchestrators: plan, read the parts a few at a time, put them together. A scoped snapshot (an --only apply's way
 * back) is bounded by its scope and stays one activity. Deterministic.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { activityRetry } from '../operation';
import { SnapshotActivities } from './names';
import type { FinishPartsInput, SnapshotPartInput, SnapshotPartsPlan } from './snapshotParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

/** Parts read at once: each already reads with the client's own bounded concurrency. */
export const PARTS_AT_ONCE = 4;

export function* takeInParts(context: OrchestrationContext, input: TakeSnapshotInput): Generator<Task, SnapshotSummary, unknown> {
  if (input.scope) return (yield context.df.callActivityWithRetry(SnapshotActivities.take, activityRetry(), input)) as SnapshotSummary;
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
  const finish: FinishPartsInput = { ...input, runId, takenAt: plan.takenAt, parts: plan.parts.length, armRequests };
  return (yield context.df.callActivityWithRetry(SnapshotActivities.finishParts, activityRetry(), finish)) as SnapshotSummary;
}
