/**
 * Orchestrator: apply a snapshot. The target is read in parts (staged, as a snapshot is taken); the dry run plans on
 * that read and gates the apply; the same read becomes the target's snapshot (its way back) once the dry run lets the
 * apply go on. Then the plan, the writes in bounded steps, the target read back in parts, and the verification with the
 * record (applyInSteps.ts), each an activity. An `--only` apply reads within its scope, one activity each. Payloads
 * carry names, steps and summaries, never a document or a plan. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { ApplyRunInput, ApplyStep, ApplyStepInput } from './applyInSteps';
import { preApplyScope, type ApplyCheck, type ApplyRequest } from './applySnapshot';
import { SnapshotActivities } from './names';
import { checkOnStagedRead } from './snapshotCheckOrchestrator';
import type { StagedRead } from './snapshotParts';
import { clearParts, finishInParts, readInParts, takeInParts } from './takeInParts';
import type { SnapshotSummary, TakeSnapshotInput } from './takeSnapshot';

export const snapshotApplyOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<ApplyRequest>();
  const requestedAt = context.df.currentUtcDateTime.toISOString();
  const status = (s: Record<string, unknown>) => context.df.setCustomStatus({ snapshot: request.snapshotName, ...s });
  status({ phase: 'checking' });
  // The target's snapshot is the apply's first step: its events are the apply's (as a pre-restore backup's are the restore's).
  const take: TakeSnapshotInput = {
    serviceId: request.target,
    trigger: 'pre-apply',
    requestedBy: request.requestedBy,
    scope: preApplyScope(request),
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
  };
  const gated = yield* checkAndTakeWayBack(context, request, take);
  if ('refused' in gated) return { state: 'refused', check: gated.refused };
  const { check, before } = gated;
  status({ phase: 'applying', target: check.target, preApplySnapshot: before.snapshotName });
  const input: ApplyRunInput = {
    ...request,
    preApplySnapshot: before.snapshotName,
    requestedAt,
    runId: `${context.df.instanceId}.${context.df.currentUtcDateTime.getTime()}`,
  };
  // The writes in bounded steps (a wave's chunk each, in order), then the verification and the record.
  const { steps } = (yield context.df.callActivity(SnapshotActivities.planApply, input)) as { steps: ApplyStep[] };
  for (const [index, step] of steps.entries()) {
    status({ phase: 'applying', target: check.target, preApplySnapshot: before.snapshotName, step: index + 1, of: steps.length });
    const stepInput: ApplyStepInput = { ...input, index, step };
    yield context.df.callActivity(SnapshotActivities.applyStep, stepInput);
  }
  status({ phase: 'verifying', target: check.target });
  // A whole target is read back in parts; the finish compares against that read and clears it.
  const readBack: StagedRead | undefined = check.scoped ? undefined : yield* readInParts(context, { ...take, serviceId: check.targetId, scope: undefined });
  const finish = { ...input, steps: steps.length, ...(readBack ? { readBack: { runId: readBack.runId, parts: readBack.parts } } : {}) };
  const record = (yield context.df.callActivity(SnapshotActivities.finishApply, finish)) as Record<string, unknown>;
  status({ phase: 'done', target: check.target });
  return record;
};

/**
 * The dry run as gate, and the target's snapshot taken once it passes. Whole: one read in parts serves both (the dry
 * run plans on the staged read, which then becomes the snapshot). Scoped: the dry run reads within the scope, then the
 * scoped snapshot is taken. A refusal (not restorable, not a standby) leaves nothing staged.
 */
function* checkAndTakeWayBack(
  context: OrchestrationContext,
  request: ApplyRequest,
  take: TakeSnapshotInput,
): Generator<Task, { refused: ApplyCheck } | { check: ApplyCheck; before: SnapshotSummary }, unknown> {
  if (take.scope) {
    // A refusal that is a user error (not a standby) is recorded as the orchestration's failure, not retried.
    const check = (yield context.df.callActivity(SnapshotActivities.checkApply, request)) as ApplyCheck;
    if (check.verdict === 'Not restorable') return { refused: check };
    context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'pre-apply snapshot', target: check.target });
    return { check, before: yield* takeInParts(context, { ...take, serviceId: check.targetId }) };
  }
  // The target checked first (not a standby, mirror in place without consent: refused before any read of it).
  const { targetId } = (yield context.df.callActivity(SnapshotActivities.checkTarget, request)) as { targetId: string };
  const read = yield* readInParts(context, { ...take, serviceId: targetId });
  const check = yield* checkOnStagedRead(context, request, read);
  if (check.verdict === 'Not restorable') {
    yield clearParts(context, read);
    return { refused: check };
  }
  context.df.setCustomStatus({ snapshot: request.snapshotName, phase: 'pre-apply snapshot', target: check.target });
  return { check, before: yield* finishInParts(context, { ...take, serviceId: targetId }, read) };
}
