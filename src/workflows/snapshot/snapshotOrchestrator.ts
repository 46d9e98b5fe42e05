/** Orchestrator: take one snapshot in an activity (the document goes to storage, only its summary comes back). */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { activityRetry } from '../operation';
import { SnapshotActivities } from './names';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

export const snapshotOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<TakeSnapshotInput>();
  context.df.setCustomStatus({ phase: 'reading' });
  const summary = (yield context.df.callActivityWithRetry(SnapshotActivities.take, activityRetry(), input)) as SnapshotSummary;
  context.df.setCustomStatus({ phase: 'done', snapshotName: summary.snapshotName });
  return summary;
};
