/**
 * Orchestrator: apply a snapshot. The dry run gates it; a snapshot of the target is taken first (its way back, in
 * parts); then the plan, the writes in bounded steps, and the verification with the record (applyInSteps.ts), each an
 * activity. Payloads carry names, steps and summaries, never a document or a plan. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { ApplyRunInput, ApplyStep, ApplyStepInput } from './applyInSteps';
import { preApplyScope, type ApplyCheck, type ApplyRequest } from './applySnapshot';
import { SnapshotActivities } from './names';
import { takeInParts } from './takeInParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

export const snapshotApplyOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<ApplyRequest>();
  const requestedAt = context.df.currentUtcDateTime.toISOString();
  context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'checking' });
  // A refusal (not restorable, not a standby) is a user error: recorded as the orchestration's failure, not retried.
  const check = (yield context.df.callActivity(SnapshotActivities.checkApply, request)) as ApplyCheck;
  if (check.verdict === 'Not restorable') return { state: 'refused', check };
  context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'pre-apply snapshot', target: check.target });
  const take: TakeSnapshotInput = { serviceId: check.targetId, trigger: 'pre-apply', requestedBy: request.requestedBy, scope: preApplyScope(request) };
  const before: SnapshotSummary = yield* takeInParts(context, take);
  context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'applying', target: check.target, preApplySnapshot: before.snapshotName });
  const input: ApplyRunInput = {
    ...request,
    preApplySnapshot: before.snapshotName,
    requestedAt,
    runId: `${context.df.instanceId}.${context.df.currentUtcDateTime.getTime()}`,
  };
  // The writes in bounded steps (a wave's chunk each, in order), then the verification and the record.
  const { steps } = (yield context.df.callActivity(SnapshotActivities.planApply, input)) as { steps: ApplyStep[] };
  for (const [index, step] of steps.entries()) {
    context.df.setCustomStatus({
      snapshot: request.snapshotName,
      phase: 'applying',
      target: check.target,
      preApplySnapshot: before.snapshotName,
      step: index + 1,
      of: steps.length,
    });
    const stepInput: ApplyStepInput = { ...input, index, step };
    yield context.df.callActivity(SnapshotActivities.applyStep, stepInput);
  }
  context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'verifying', target: check.target });
  const record = (yield context.df.callActivity(SnapshotActivities.finishApply, { ...input, steps: steps.length })) as Record<string, unknown>;
  context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'done', target: check.target });
  return record;
};
