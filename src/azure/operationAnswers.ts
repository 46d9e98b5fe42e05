/**
 * Reading ARM's answers about a long-running operation where the SDK's poller says too little: a POST refused at
 * once, an Azure-AsyncOperation body that reports failure, a result that has expired or cannot be had, a token
 * that does not parse. docs/how-it-works.md has the whole table.
 */
import { AzureError } from '../errors';
import { armErrorCode } from './armErrors';

/** ARM's answer about the operation is gone or cannot be had: settle it from the facts instead. */
export interface UnknownOutcome {
  status: 'unknown';
  /** `OperationResultExpired` (404), `OperationUnanswered` (5xx or no connection), `OperationTokenUnreadable`. */
  code: string;
  message: string;
}

/** A 4xx to the POST that is ARM's verdict on the request itself: never retried, nothing started. 409 and 429 are not. */
export function operationRejection(err: unknown): { status: 'rejected'; code: string; message: string } | undefined {
  const { code, message, statusCode } = armErrorCode(err);
  if (statusCode === undefined || statusCode < 400 || statusCode >= 500) return undefined;
  // 401/403/404 are the caller's to fix (a role, the resource ID): they become user errors with their fix.
  if ([401, 403, 404, 408, 409, 429].includes(statusCode)) return undefined;
  return { status: 'rejected', code, message };
}

/** The failure an Azure-AsyncOperation status body reports (`{status: "Failed" | "Canceled", error: {code, message}}`). */
export function asyncOperationFailure(bodyAsText: string | undefined): { code: string; message: string } | undefined {
  let body: { status?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(bodyAsText ?? '') as typeof body;
  } catch {
    return undefined;
  }
  const status = typeof body?.status === 'string' ? body.status.toLowerCase() : undefined;
  if (status !== 'failed' && status !== 'canceled' && status !== 'cancelled') return undefined;
  const code = typeof body.error?.code === 'string' ? body.error.code : status === 'failed' ? 'OperationFailed' : 'OperationCanceled';
  const message = typeof body.error?.message === 'string' ? body.error.message : `ARM reports the operation ${status}`;
  return { code, message };
}

/** When the operation URL answered 404 (its result expired), 5xx, or not at all (after the SDK's own retries). */
export function unknownOutcome(err: unknown): UnknownOutcome | undefined {
  // Our own client refused the URL (armHostOnly.ts): nothing was asked, so nothing is unknown; it is a refusal.
  if (err instanceof AzureError && err.code === 'ForeignOperationUrl') return undefined;
  const { code, message, statusCode } = armErrorCode(err);
  if (statusCode === 404) {
    return { status: 'unknown', code: 'OperationResultExpired', message: `ARM no longer has the operation's result (${code}: ${message})` };
  }
  if (statusCode === undefined || statusCode >= 500) {
    return { status: 'unknown', code: 'OperationUnanswered', message: `the operation URL did not answer (${code}: ${message})` };
  }
  return undefined;
}

/** A token is the SDK poller's serialized state: JSON naming the URL it polls. Anything else cannot be resumed. */
export function isReadableToken(token: string): boolean {
  try {
    const parsed = JSON.parse(token) as { state?: { config?: { operationLocation?: unknown } } };
    return typeof parsed?.state?.config?.operationLocation === 'string';
  } catch {
    return false;
  }
}
