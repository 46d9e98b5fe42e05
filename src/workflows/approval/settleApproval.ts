/**
 * Activity: where an awaited approval stands, read from its record (never from the event that woke the
 * orchestration: anyone who may raise events on the task hub can send one). Past the deadline, an approval not yet
 * given is marked expired.
 */
import type { Services } from '../../services';

export interface SettleApprovalInput {
  recordName: string;
  /** The durable timer fired: the approval is due now. */
  deadlinePassed: boolean;
}

export type ApprovalStanding =
  { status: 'approved'; approvedBy: string; approvedAt: string } | { status: 'waiting' } | { status: 'expired'; expiresAt: string; requestedBy: string };

export async function settleApproval(services: Services, input: SettleApprovalInput): Promise<ApprovalStanding> {
  const stored = await services.approvals.read(input.recordName);
  if (!stored) throw new Error(`approval record '${input.recordName}' vanished while its operation waited`);
  const { record, etag } = stored;
  if (record.state === 'approved' && record.approvedBy && record.approvedAt) {
    return { status: 'approved', approvedBy: record.approvedBy, approvedAt: record.approvedAt };
  }
  const expiresAt = record.expiresAt ?? record.requestedAt;
  const due = input.deadlinePassed || services.clock.now().getTime() >= Date.parse(expiresAt);
  if (!due && record.state === 'awaiting') return { status: 'waiting' };
  if (record.state !== 'expired') {
    await services.approvals.write({ ...record, state: 'expired' }, etag);
    services.logger.event('apim-dr.approval.expired', { operationId: record.operationId, requestedBy: record.requestedBy, expiresAt }, 'warn');
  }
  return { status: 'expired', expiresAt, requestedBy: record.requestedBy };
}
