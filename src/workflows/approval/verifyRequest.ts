/**
 * Activity: the first step of every restore and migration. The orchestration's input is not trusted (anyone who may
 * start orchestrations on the task hub can write one): it must be exactly what the edge recorded for this operation,
 * used once, and still allowed by the config. Who asked comes from the record; consent (standby relation, in-place
 * permission, the confirmation) is checked again; whether a second person must approve is decided again.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ApprovalRecord } from '../../domain/approvalRecord';
import { AzureError } from '../../errors';
import type { Services } from '../../services';
import { clip } from '../../validation';
import { migrationProblem, restoreProblem, type Problem } from './requestRules';

/** How long after the edge recorded a request its orchestration may first claim it. */
export const CLAIM_WINDOW_MS = 10 * 60_000;

export interface VerifyRequestInput {
  kind: ApprovalRecord['kind'];
  /** This orchestration's instance ID and run (`<instanceId>@<start>`). */
  operationId: string;
  owner: string;
  input: Record<string, unknown>;
}

export interface RequestApproval {
  recordName: string;
  reason: string;
  requestedBy: string;
  expiresAt?: string;
  /** Set when the break-glass CLI ran it: nothing to wait for. */
  breakGlassOperator?: string;
}

export type VerifiedRequest = { status: 'verified'; recordName: string; requestedBy: string; approval?: RequestApproval } | ({ status: 'refused' } & Problem);

export async function verifyRequest(services: Services, request: VerifyRequestInput): Promise<VerifiedRequest> {
  const verdict = await verify(services, request);
  if (verdict.status === 'refused') {
    // The input is evidence of an attempt: logged with what identifies it, never echoed whole.
    services.logger.event(
      'apim-dr.request.refused',
      { kind: request.kind, operationId: request.operationId, code: verdict.code, claimedRequester: claimedRequester(request.input) },
      'warn',
    );
  }
  return verdict;
}

async function verify(services: Services, request: VerifyRequestInput): Promise<VerifiedRequest> {
  const { input, operationId } = request;
  const name = typeof input['requestRecord'] === 'string' ? input['requestRecord'] : undefined;
  const notRecorded = refuse(
    'RequestNotRecorded',
    `${request.kind} '${operationId}' was started without a request apim-dr recorded`,
    `start ${request.kind}s through the HTTP API or the CLI, which record who asked; an orchestration started any other way is refused`,
  );
  if (!name || !name.startsWith('approvals/')) return notRecorded;
  // A blob there that is not an approval record is not a record of this request.
  const stored = await services.approvals.read(name).catch((err: unknown) => {
    if (err instanceof AzureError && err.code === 'InvalidApprovalRecord') return undefined;
    throw err;
  });
  if (!stored) return notRecorded;
  const { record } = stored;

  // A side-by-side migration's restore runs on its migration's request, which the migration has claimed.
  const migrationChild = request.kind === 'restore' && input['purpose'] === 'migration';
  if (migrationChild) return verifyMigrationRestore(services, request, record);

  if (record.kind !== request.kind || record.operationId !== operationId) {
    return refuse('RequestMismatch', `the recorded request '${name}' is for ${record.kind} '${record.operationId}', not '${operationId}'`, REQUEST_AGAIN);
  }
  const differing = differingFields(record.input, input);
  if (differing.length) {
    return refuse('RequestMismatch', `the input differs from the recorded request in ${differing.map((f) => `'${clip(f)}'`).join(', ')}`, REQUEST_AGAIN);
  }
  const claimed = await claim(services, record, stored.etag, request.owner);
  if (claimed) return claimed;

  const rules = request.kind === 'restore' ? restoreProblem(services.config, record) : migrationProblem(services.config, record);
  if ('code' in rules) return { status: 'refused', ...rules };
  return approvalOf(record, rules.approvalReason);
}

const REQUEST_AGAIN = 'request it again through the HTTP API or the CLI';

function refuse(code: string, message: string, fix: string): VerifiedRequest {
  return { status: 'refused', code, message, fix };
}

/** Claims the record for this run; a record another run claimed, or one older than the claim window, is refused. */
async function claim(services: Services, record: ApprovalRecord, etag: string, owner: string): Promise<VerifiedRequest | undefined> {
  if (record.claimedBy === owner) return undefined;
  if (record.claimedBy) return refuse('RequestAlreadyUsed', `the request '${record.recordName}' was already used by ${record.claimedBy}`, REQUEST_AGAIN);
  const startedAt = Date.parse(owner.slice(owner.lastIndexOf('@') + 1));
  const age = startedAt - Date.parse(record.requestedAt);
  if (!(age >= -60_000 && age <= CLAIM_WINDOW_MS)) {
    return refuse(
      'RequestStale',
      `the request '${record.recordName}' was recorded at ${record.requestedAt}, too long before this run to be its own`,
      REQUEST_AGAIN,
    );
  }
  try {
    await services.approvals.write({ ...record, claimedBy: owner }, etag);
  } catch (err) {
    throw new Error(`could not claim the request '${record.recordName}' (another run may have): ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  return undefined;
}

function approvalOf(record: ApprovalRecord, reason: string | undefined): VerifiedRequest {
  const verified = { status: 'verified' as const, recordName: record.recordName, requestedBy: record.requestedBy };
  if (!reason) return verified;
  const approval = { recordName: record.recordName, reason, requestedBy: record.requestedBy };
  switch (record.state) {
    case 'break-glass':
      if (record.via === 'cli' && record.breakGlass) return { ...verified, approval: { ...approval, breakGlassOperator: record.breakGlass.operator } };
      break;
    case 'awaiting':
    case 'approved':
      if (record.expiresAt) return { ...verified, approval: { ...approval, expiresAt: record.expiresAt } };
      break;
    case 'expired':
      return refuse('ApprovalExpired', `the approval of '${record.recordName}' expired at ${record.expiresAt}`, REQUEST_AGAIN);
    case 'not-needed':
      break;
  }
  return refuse('ApprovalNotArranged', `${reason}, and the request '${record.recordName}' arranged no second approval`, REQUEST_AGAIN);
}

/** The restore a side-by-side migration starts: bound to that migration's claimed request, into its target, nothing more. */
function verifyMigrationRestore(services: Services, request: VerifyRequestInput, record: ApprovalRecord): VerifiedRequest {
  const { input } = request;
  const asked = record.input;
  const ok =
    record.kind === 'migration' &&
    asked['kind'] === 'side-by-side' &&
    request.operationId === `${record.operationId}-restore` &&
    record.claimedBy?.startsWith(`${record.operationId}@`) === true &&
    input['sourceId'] === asked['serviceId'] &&
    input['targetId'] === asked['targetId'] &&
    input['correlationId'] === asked['correlationId'] &&
    input['allowInPlace'] === false &&
    input['preRestoreBackup'] === false &&
    input['rollbackOf'] === undefined;
  if (!ok) return refuse('RequestMismatch', `a migration's restore must match the side-by-side migration '${record.recordName}' it belongs to`, REQUEST_AGAIN);
  const rules = migrationProblem(services.config, record);
  if ('code' in rules) return { status: 'refused', ...rules };
  return { status: 'verified', recordName: record.recordName, requestedBy: record.requestedBy };
}

/** Top-level fields whose values differ (names only: the values may be huge or hostile). */
function differingFields(recorded: Record<string, unknown>, given: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(recorded), ...Object.keys(given)]);
  return [...keys]
    .filter((k) => !isDeepStrictEqual(JSON.parse(JSON.stringify(recorded[k] ?? null)), JSON.parse(JSON.stringify(given[k] ?? null))))
    .slice(0, 10);
}

/** Who the input claims asked, for the log of a refusal (cut short: it is the attacker's text). */
function claimedRequester(input: Record<string, unknown>): string {
  const claimed = input['requestedBy'];
  return typeof claimed === 'string' ? clip(claimed) : '(none)';
}
