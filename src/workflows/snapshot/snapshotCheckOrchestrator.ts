/**
 * Orchestrator: the dry run of applying a snapshot to a whole target, for the HTTP check. An HTTP request may not read
 * thousands of resources (Azure's load balancer drops it after 230 s idle), so the target is read in parts as the
 * apply orchestration reads it, the check activity plans on that staged read, and the parts are cleared. The output is
 * the bounded check, the same answer the synchronous route gives. Reads only: it takes no lock. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { ApplyCheck, ApplyRequest } from './applySnapshot';
import { SnapshotActivities } from './names';
import { clearParts, readInParts, type PartsRead } from './takeInParts';

export const snapshotCheckOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<ApplyRequest>();
  const status = (phase: string) => context.df.setCustomStatus({ snapshot: request.snapshotName, target: request.target, phase });
  status('checking the target');
  // Not a standby, mirror in place without consent: refused before any read of the target.
  const { targetId } = (yield context.df.callActivity(SnapshotActivities.checkTarget, request)) as { targetId: string };
  status('reading the target');
  const read = yield* readInParts(context, { serviceId: targetId, trigger: 'pre-apply', requestedBy: request.requestedBy });
  status('planning');
  const check = yield* checkOnStagedRead(context, request, read);
  yield clearParts(context, read);
  status('done');
  return check;
};

/** The dry run planned on a read staged in parts (no read of the target of its own); a failed check clears the read. */
export function* checkOnStagedRead(context: OrchestrationContext, request: ApplyRequest, read: PartsRead): Generator<Task, ApplyCheck, unknown> {
  try {
    return (yield context.df.callActivity(SnapshotActivities.checkApply, { ...request, targetRead: { runId: read.runId, parts: read.parts } })) as ApplyCheck;
  } catch (err) {
    yield clearParts(context, read);
    throw err;
  }
}
