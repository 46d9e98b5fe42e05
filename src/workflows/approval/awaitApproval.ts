/**
 * For orchestrators: waits for a second person's approval until it expires. An `approval` event only wakes the
 * orchestration; what counts is the approval record, which only the HTTP edge writes after checking the approver
 * (DR.Restore, not the requester). Deterministic.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { Activities } from '../names';
import { activityRetry, setPhase, type OperationStatus } from '../operation';
import type { ApprovalStanding } from './settleApproval';
import type { RequestApproval } from './verifyRequest';

export const APPROVAL_EVENT = 'approval';

export function* awaitApproval(
  context: OrchestrationContext,
  approval: RequestApproval & { expiresAt: string },
  status: Omit<OperationStatus, 'phase'> = {},
): Generator<Task, ApprovalStanding, unknown> {
  const { recordName, expiresAt } = approval;
  const settle = (deadlinePassed: boolean) => context.df.callActivityWithRetry(Activities.settleApproval, activityRetry(), { recordName, deadlinePassed });
  // It may have been approved before this run got here.
  let standing = (yield settle(false)) as ApprovalStanding;
  if (standing.status !== 'waiting') return standing;
  setPhase(context, {
    ...status,
    phase: 'awaiting-approval',
    requestedBy: approval.requestedBy,
    reason: approval.reason,
    expiresAt,
    approve: `POST /api/approvals/${context.df.instanceId} (apim-dr approve ${context.df.instanceId}) by another DR.Restore holder`,
  });
  const deadline = context.df.createTimer(new Date(expiresAt));
  for (;;) {
    const event = context.df.waitForExternalEvent(APPROVAL_EVENT);
    const winner = (yield context.df.Task.any([event, deadline])) as Task;
    if (winner === deadline) return (yield settle(true)) as ApprovalStanding;
    standing = (yield settle(false)) as ApprovalStanding;
    if (standing.status !== 'waiting') {
      deadline.cancel();
      return standing;
    }
    // Woken without an approval on record: keep waiting until the deadline.
    if (!context.df.isReplaying) context.warn(`apim-dr.approval.event-ignored ${context.df.instanceId}: no approval on record for '${recordName}'`);
  }
}
