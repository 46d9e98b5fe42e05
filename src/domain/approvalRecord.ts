/**
 * The record of a restore or migration request (`approvals/<operationId>.<yyyyMMddTHHmmssZ>.<ms><id>.json`), written
 * by the edge that validated the caller (HTTP, CLI, schedule tick) before it starts the orchestration: the exact
 * input, who asked, what they confirmed, and whether a second person must approve, who did, or that the break-glass
 * CLI ran it without one. The orchestration re-derives what matters from it, never from its own input.
 */
import { z } from 'zod';
import { timedRecordName } from './restoreRecord';

export const APPROVAL_STATES = ['not-needed', 'awaiting', 'approved', 'expired', 'break-glass'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export const REQUEST_VIAS = ['http', 'cli', 'schedule'] as const;
export type RequestVia = (typeof REQUEST_VIAS)[number];

export const approvalRecordSchema = z.object({
  schemaVersion: z.literal(1),
  recordName: z.string(),
  /** The orchestration instance the request was started as. */
  operationId: z.string(),
  kind: z.enum(['restore', 'migration']),
  /** The orchestration input exactly as the edge started it. */
  input: z.record(z.string(), z.unknown()),
  /** The name the requester gave to confirm. */
  confirm: z.string().optional(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  via: z.enum(REQUEST_VIAS),
  state: z.enum(APPROVAL_STATES),
  /** Why a second person must approve. */
  reason: z.string().optional(),
  expiresAt: z.string().optional(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  breakGlass: z.object({ operator: z.string(), note: z.string() }).optional(),
  /** The orchestration run (`<instanceId>@<start>`) that used this request: a request is used once. */
  claimedBy: z.string().optional(),
});

export type ApprovalRecord = z.output<typeof approvalRecordSchema>;

export function approvalRecordName(operationId: string, requestedAt: Date, correlationId: string): string {
  return timedRecordName('approvals', operationId, requestedAt, correlationId);
}

/**
 * The same principal? Validated callers are named `<name> (<object ID>)`: the object ID decides, so a renamed user
 * is still the same person. Anyone else (anonymous with authentication off, the CLI's local user) by the whole name.
 */
export function samePrincipal(a: string, b: string): boolean {
  const id = (s: string) => /\(([0-9a-f-]{36})\)$/i.exec(s.trim())?.[1]?.toLowerCase() ?? s.trim().toLowerCase();
  return id(a) === id(b);
}
