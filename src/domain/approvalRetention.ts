/**
 * Which approval records (`approvals/<operationId>.<time>.<ms><id>.json`) the sweep may retire: those it would
 * retire as restore records (older than the records retention and not among their operation's newest few), and
 * of those only the decided ones. A request still awaiting its second person before its deadline is never retired.
 */
import type { ApprovalRecord } from './approvalRecord';
import { parseTimedName } from './recordRetention';

/** An operation ID (`restore-<instance>-<hash8>`) is an instance name, a prefix and a hash: at most 50 + 18 characters. */
const APPROVAL = /^approvals\/([a-z][a-z0-9-]{0,79})\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.\d{3}[0-9a-f]{4}\.json$/;

export function parseApprovalName(name: string): { target: string; at: Date } | undefined {
  return parseTimedName(APPROVAL, name);
}

/** Still waiting for a second person, and not past its deadline (an unset deadline never passes). */
export function isPendingApproval(record: Pick<ApprovalRecord, 'state' | 'expiresAt'>, now: Date): boolean {
  return record.state === 'awaiting' && (record.expiresAt === undefined || Date.parse(record.expiresAt) > now.getTime());
}
