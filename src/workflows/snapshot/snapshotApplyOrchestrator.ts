/**
 * Orchestrator: apply a snapshot. The dry run gates it; a snapshot of the target is taken first (its way back); then one
 * activity writes, verifies and records. Payloads carry names and summaries, never a document. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { preApplyScope, type ApplyCheck, type ApplyInput, type ApplyRequest } from './applySnapshot';
import { SnapshotActivities } from './names';
import { takeInParts } from './takeInParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

export const snapshotApplyOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<ApplyRequest>();
  const requestedAt = context.df.currentUtcDateTime.toISOString();
  context.df.setCustomStatus({ phase: 'checking' });
  // A refusal (not restorable, not a standby) is a user error: recorded as the orchestration's failure, not retried.
  const check = (yield context.df.callActivity(SnapshotActivities.checkApply, request)) as ApplyCheck;
  if (check.verdict === 'Not restorable') return { state: 'refused', check };
  context.df.setCustomStatus({ phase: 'pre-apply snapshot', target: check.target });
  const take: TakeSnapshotInput = { serviceId: check.targetId, trigger: 'pre-apply', requestedBy: request.requestedBy, scope: preApplyScope(request) };
  const before: SnapshotSummary = yield* takeInParts(context, take);
  context.df.setCustomStatus({ phase: 'applying', target: check.target, preApplySnapshot: before.snapshotName });
  const input: ApplyInput = { ...request, preApplySnapshot: before.snapshotName, requestedAt };
  const record = (yield context.df.callActivity(SnapshotActivities.apply, input)) as Record<string, unknown>;
  context.df.setCustomStatus({ phase: 'done', target: check.target });
  return record;
};
