/**
 * The second person's approval of a waiting restore or migration: the approver holds DR.Restore (the edge checked)
 * and is not the requester; the approval is written to the request's record before the orchestration is woken,
 * and the orchestration believes the record, not the event.
 */
import { samePrincipal, type ApprovalRecord } from '../../domain/approvalRecord';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { isActive, type OrchestrationStarter } from '../starter';
import { APPROVAL_EVENT } from './awaitApproval';

export interface Approved {
  operationId: string;
  requestedBy: string;
  approvedBy: string;
  approvedAt: string;
  reason?: string;
}

export async function approveOperation(services: Services, starter: OrchestrationStarter, operationId: string, approver: string): Promise<Approved> {
  const [newest] = await services.approvals.recent(operationId, 1);
  const stored = newest && (await services.approvals.read(newest.recordName));
  if (!stored || stored.record.state === 'not-needed') {
    throw new UserError(
      `operation '${operationId}' waits for no approval: only in-place restores and migrations of protected instances do`,
      'not-found',
      'NothingToApprove',
    );
  }
  const { record, etag } = stored;
  refuseUnlessAwaiting(record, services.clock.now());
  if (samePrincipal(record.requestedBy, approver)) {
    throw new UserError(
      `${approver} asked for this operation and cannot also approve it: a second person holding DR.Restore must (with HTTP authentication off, everyone is the same anonymous caller, so no one can)`,
      'refused',
      'SelfApproval',
    );
  }
  const status = await starter.status(operationId);
  if (!status || !isActive(status.runtimeStatus)) {
    throw new UserError(`operation '${operationId}' is no longer running, so there is nothing to approve: request it again`, 'conflict', 'NotWaiting');
  }
  const approvedAt = services.clock.now().toISOString();
  await services.approvals.write({ ...record, state: 'approved', approvedBy: approver, approvedAt }, etag);
  services.logger.event('apim-dr.approval.given', { operationId, requestedBy: record.requestedBy, approvedBy: approver, reason: record.reason });
  await starter.raiseEvent(operationId, APPROVAL_EVENT, { approvedBy: approver });
  return { operationId, requestedBy: record.requestedBy, approvedBy: approver, approvedAt, reason: record.reason };
}

function refuseUnlessAwaiting(record: ApprovalRecord, now: Date): void {
  switch (record.state) {
    case 'approved':
      throw new UserError(`operation '${record.operationId}' was already approved by ${record.approvedBy}`, 'conflict', 'AlreadyApproved');
    case 'break-glass':
      throw new UserError(`operation '${record.operationId}' ran on the break-glass CLI; it waits for no approval`, 'conflict', 'NotWaiting');
    case 'expired':
      throw new UserError(
        `the approval window of '${record.operationId}' closed at ${record.expiresAt}: ask the requester to request it again`,
        'refused',
        'ApprovalExpired',
      );
    default:
      if (record.expiresAt && now.getTime() >= Date.parse(record.expiresAt)) {
        throw new UserError(
          `the approval window of '${record.operationId}' closed at ${record.expiresAt}: ask the requester to request it again`,
          'refused',
          'ApprovalExpired',
        );
      }
  }
}
