/**
 * The edge's half of "orchestrations re-derive what matters": before a restore or migration starts, the edge that
 * validated the caller records the request (exact input, who asked, what they confirmed, whether a second person
 * must approve). The orchestration then trusts that record, never its own input.
 */
import { approvalRecordName, type ApprovalRecord, type RequestVia } from '../../domain/approvalRecord';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';

/** Who asked and through what, as the edge validated it. */
export interface RequestOrigin {
  requestedBy: string;
  via: RequestVia;
  /** The break-glass CLI: the operator's Azure identity (from their token). */
  breakGlass?: { operator: string };
}

export interface RecordedStart<I extends { correlationId: string }> {
  orchestration: string;
  operationId: string;
  kind: ApprovalRecord['kind'];
  input: I;
  confirm?: string;
  origin: RequestOrigin;
  /** Why a second person must approve; undefined when no one need. */
  approvalReason?: string;
  /** What the operation changes, for messages. */
  subject: string;
}

export const NO_SECOND_APPROVAL = 'break-glass: run in process with the operator’s own Azure rights; no second approval was asked';

/** Records the request, then starts it; false when one already runs (the record is withdrawn). */
export async function startRecorded<I extends { correlationId: string }>(
  services: Services,
  starter: OrchestrationStarter,
  start: RecordedStart<I>,
): Promise<{ started: boolean; input: I & { requestRecord: string }; record: ApprovalRecord }> {
  const { origin, approvalReason } = start;
  if (approvalReason && origin.via === 'cli' && !origin.breakGlass) {
    throw new UserError(
      `${approvalReason}, so a second person holding DR.Restore must approve it, which the in-process CLI cannot ask for: request it over HTTP (a second person then runs 'apim-dr approve <operation>'), or, if the app is down, run again with --break-glass (your Azure identity is recorded; no second approval is asked)`,
      'refused',
      'BreakGlassRequired',
    );
  }
  const now = services.clock.now();
  const recordName = approvalRecordName(start.operationId, now, start.input.correlationId);
  const input = { ...start.input, requestRecord: recordName };
  const breakGlass = approvalReason && origin.breakGlass ? { operator: origin.breakGlass.operator, note: NO_SECOND_APPROVAL } : undefined;
  const record: ApprovalRecord = {
    schemaVersion: 1,
    recordName,
    operationId: start.operationId,
    kind: start.kind,
    input: JSON.parse(JSON.stringify(input)) as Record<string, unknown>,
    ...(start.confirm !== undefined ? { confirm: start.confirm } : {}),
    requestedBy: origin.requestedBy,
    requestedAt: now.toISOString(),
    via: origin.via,
    state: !approvalReason ? 'not-needed' : breakGlass ? 'break-glass' : 'awaiting',
    ...(approvalReason ? { reason: approvalReason } : {}),
    ...(approvalReason && !breakGlass ? { expiresAt: new Date(now.getTime() + services.config.approvals.expiry).toISOString() } : {}),
    ...(breakGlass ? { breakGlass } : {}),
  };
  if (!(await services.approvals.write(record))) throw new Error(`approval record '${recordName}' already exists`);
  if (breakGlass)
    services.logger.event('apim-dr.approval.break-glass', { operationId: start.operationId, subject: start.subject, operator: breakGlass.operator }, 'warn');
  const { started } = await starter.start(start.orchestration, start.operationId, input);
  // Coalesced into a running operation: this request never runs, so its record must not be left to be used later.
  if (!started) await services.approvals.remove(recordName);
  else if (record.state === 'awaiting') {
    services.logger.event('apim-dr.approval.requested', {
      operationId: start.operationId,
      subject: start.subject,
      requestedBy: origin.requestedBy,
      expiresAt: record.expiresAt,
    });
  }
  return { started, input, record };
}
