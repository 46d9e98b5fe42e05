/**
 * Orchestrator: the dry run of applying a snapshot to a whole target, for the HTTP check. An HTTP request may not read
 * thousands of resources (Azure's load balancer drops it after 230 s idle), so the target is read in parts as the
 * apply orchestration reads it, the check activity plans on that staged read, and the parts are cleared. The output is
 * the bounded check, the same answer the synchronous route gives; or, when planning meets a user error (a secret or
 * an override the snapshot does not expect, the snapshot gone meanwhile), `{ error: { code, kind, message } }`, so
 * that a remote CLI exits and prints as it would in process. Reads only: it takes no lock. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { OperationError } from '../operationError';
import type { ApplyCheck, ApplyRequest } from './applySnapshot';
import { SnapshotActivities } from './names';
import { clearParts, readInParts, type PartsRead } from './takeInParts';

export const snapshotCheckOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<ApplyRequest>();
  const status = (phase: string) => context.df.setCustomStatus({ snapshot: request.snapshotName, target: request.target, phase });
  status('checking the target');
  // Not a standby, mirror in place without consent: refused before any read of the target.
  const target = (yield context.df.callActivity(SnapshotActivities.checkTargetOutcome, request)) as { targetId: string } | { error: OperationError };
  if ('error' in target) return refused(status, target);
  status('reading the target');
  const read = yield* readInParts(context, { serviceId: target.targetId, trigger: 'pre-apply', requestedBy: request.requestedBy });
  status('planning');
  const check = yield* checkOnStagedRead<ApplyCheck | { error: OperationError }>(context, request, read, SnapshotActivities.checkApplyOutcome);
  yield clearParts(context, read);
  if ('error' in check) return refused(status, check);
  status('done');
  return check;
};

function refused(status: (phase: string) => void, answer: { error: OperationError }): { error: OperationError } {
  status('refused');
  return { error: answer.error };
}

/** The dry run planned on a read staged in parts (no read of the target of its own); a failed check clears the read. */
export function* checkOnStagedRead<T = ApplyCheck>(
  context: OrchestrationContext,
  request: ApplyRequest,
  read: PartsRead,
  activity: string = SnapshotActivities.checkApply,
): Generator<Task, T, unknown> {
  try {
    return (yield context.df.callActivity(activity, { ...request, targetRead: { runId: read.runId, parts: read.parts } })) as T;
  } catch (err) {
    yield clearParts(context, read);
    throw err;
  }
}
