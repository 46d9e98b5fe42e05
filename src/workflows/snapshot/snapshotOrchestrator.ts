/** Orchestrator: take one snapshot in bounded parts (the document goes to storage, only its summary comes back). */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { takeInParts } from './takeInParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

export const snapshotOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<TakeSnapshotInput>();
  context.df.setCustomStatus({ phase: 'reading' });
  const summary: SnapshotSummary = yield* takeInParts(context, input);
  context.df.setCustomStatus({ phase: 'done', snapshotName: summary.snapshotName });
  return summary;
};
