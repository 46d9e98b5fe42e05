/** Orchestrator: take one snapshot in bounded parts (the document goes to storage, only its summary comes back). */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { SnapshotActivities } from './names';
import type { SnapshotTakeOutcome } from './observeSnapshotTake';
import { takeInParts } from './takeInParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

export const snapshotOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<TakeSnapshotInput>();
  context.df.setCustomStatus({ phase: 'reading' });
  let summary: SnapshotSummary;
  try {
    summary = yield* takeInParts(context, input);
  } catch (err) {
    // Retries spent: the instance's snapshot incident opens (one message), and the orchestration still fails.
    const failed: SnapshotTakeOutcome = {
      serviceId: input.serviceId,
      failed: true,
      error: err instanceof Error ? err.message : String(err),
      ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    };
    yield context.df.callActivity(SnapshotActivities.observeTake, failed);
    throw err;
  }
  const taken: SnapshotTakeOutcome = { serviceId: input.serviceId, failed: false };
  yield context.df.callActivity(SnapshotActivities.observeTake, taken);
  context.df.setCustomStatus({ phase: 'done', snapshotName: summary.snapshotName });
  return summary;
};
