/** Maps results and errors to HTTP responses: user errors name the field and the fix; system errors stay generic. */
import type { HttpResponseInit } from '@azure/functions';
import { type z } from 'zod';
import { describeIssue } from '../validation';
import { AzureError, UserError, ValidationError, ensureError } from '../errors';
import type { Logger } from '../telemetry/logger';

export function errorResponse(err: unknown, logger: Logger): HttpResponseInit {
  if (err instanceof ValidationError) {
    return { status: err.status, jsonBody: { error: { code: err.code, message: `${err.what} is invalid`, problems: err.problems } } };
  }
  if (err instanceof UserError) return { status: err.status, jsonBody: { error: { code: err.code, message: err.message } } };
  if (err instanceof AzureError) {
    logger.log('error', err.message, { code: err.code });
    return { status: 502, jsonBody: { error: { code: err.code, message: err.message } } };
  }
  logger.log('error', `unexpected error: ${ensureError(err).message}`, { stack: ensureError(err).stack });
  return { status: 500, jsonBody: { error: { code: 'InternalError', message: 'apim-dr failed unexpectedly; see the logs for details' } } };
}

/** Parses a JSON request body with a zod schema; every problem is reported with its field. */
export async function parseBody<T extends z.ZodType>(request: { text(): Promise<string> }, schema: T, what = 'request body'): Promise<z.output<T>> {
  const text = await request.text();
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : {};
  } catch (err) {
    throw new ValidationError(what, [{ path: '', message: `is not valid JSON: ${ensureError(err).message}` }]);
  }
  refuseRequestedBy(raw, what);
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new ValidationError(what, result.error.issues.map(describeIssue));
  return result.data;
}

/**
 * 202 for a started orchestration: `Location` and `statusQueryGetUri` point at `GET /api/operations/{id}`, and
 * `Retry-After` says how often asking makes sense for this kind of operation.
 */
export function accepted(request: { url: string }, instanceId: string, retryAfterSeconds: number, body: Record<string, unknown>): HttpResponseInit {
  const statusUri = new URL(`/api/operations/${instanceId}`, request.url).href;
  return {
    status: 202,
    headers: { Location: statusUri, 'Retry-After': String(retryAfterSeconds) },
    jsonBody: { id: instanceId, ...body, statusQueryGetUri: statusUri },
  };
}

/** Who asked is the principal the platform validated; a body that claims to say it is refused, not ignored. */
function refuseRequestedBy(raw: unknown, what: string): void {
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && Object.hasOwn(raw, 'requestedBy')) {
    throw new ValidationError(what, [
      { path: 'requestedBy', message: 'is set from the validated caller (your Entra ID sign-in), never from the body: remove it' },
    ]);
  }
}
