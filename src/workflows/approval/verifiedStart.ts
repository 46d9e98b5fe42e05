/**
 * For the restore and migration orchestrators: verify the input against the edge's record, then (when a second
 * person must approve) wait for the approval. Returns what the operation's records name as requester and approval,
 * or the finding that refuses it. Deterministic.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { Finding } from '../../domain/compatibility';
import type { RecordedApproval } from '../../domain/recordedApproval';
import { Activities } from '../names';
import { activityRetry, setPhase } from '../operation';
import { awaitApproval } from './awaitApproval';
import type { VerifiedRequest, VerifyRequestInput } from './verifyRequest';

export type VerifiedStart =
  | { status: 'verified'; requestedBy: string; requestRecord: string; approval?: RecordedApproval }
  | { status: 'refused'; requestRecord?: string; finding: Finding };

export function* verifiedStart(
  context: OrchestrationContext,
  kind: VerifyRequestInput['kind'],
  input: object,
  owner: string,
): Generator<Task, VerifiedStart, unknown> {
  const request: VerifyRequestInput = { kind, operationId: context.df.instanceId, owner, input: input as Record<string, unknown> };
  const verified = (yield context.df.callActivityWithRetry(Activities.verifyRequest, activityRetry(), request)) as VerifiedRequest;
  if (verified.status === 'refused') {
    const { code, message, fix } = verified;
    return { status: 'refused', finding: { code, severity: 'blocking', message, fix } };
  }
  const { recordName: requestRecord, requestedBy, approval } = verified;
  if (!approval) return { status: 'verified', requestedBy, requestRecord };
  if (approval.breakGlassOperator)
    return { status: 'verified', requestedBy, requestRecord, approval: { requestRecord, breakGlassOperator: approval.breakGlassOperator } };
  const standing = yield* awaitApproval(context, { ...approval, expiresAt: approval.expiresAt! });
  if (standing.status === 'approved') {
    return { status: 'verified', requestedBy, requestRecord, approval: { requestRecord, approvedBy: standing.approvedBy, approvedAt: standing.approvedAt } };
  }
  setPhase(context, { phase: 'expired', requestedBy, expiresAt: approval.expiresAt });
  return {
    status: 'refused',
    requestRecord,
    finding: {
      code: 'ApprovalExpired',
      severity: 'blocking',
      message: `${approval.reason}, and no second DR.Restore holder approved it before ${approval.expiresAt}: nothing was changed`,
      fix: `request it again and ask a colleague holding DR.Restore to approve it (POST /api/approvals/${context.df.instanceId}) within the approval window`,
    },
  };
}
