/** Turns ARM SDK errors into apim-dr errors that say what failed and what to do. */
import { AzureError, UserError } from '../errors';
import { apimRoleFix } from './apimRole';

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message: string;
  details?: unknown;
}

export function armErrorCode(err: unknown): { code: string; message: string; statusCode?: number } {
  const e = err as RestErrorLike;
  const details = e.details as { error?: { code?: string; message?: string } } | undefined;
  return {
    code: details?.error?.code ?? e.code ?? 'Unknown',
    message: details?.error?.message ?? e.message ?? String(err),
    statusCode: e.statusCode,
  };
}

/** Maps an ARM failure on `serviceId` during `action` to a UserError (fixable) or AzureError (transient/system). */
export function toApimError(err: unknown, serviceId: string, action: string): Error {
  const { code, message, statusCode } = armErrorCode(err);
  if (statusCode === 404) {
    return new UserError(`APIM instance '${serviceId}' was not found (${code}): check the resource ID in the config`, 'not-found', 'ServiceNotFound', {
      cause: err,
    });
  }
  if (statusCode === 403 || statusCode === 401) {
    return new UserError(`the app's identity may not ${action} on '${serviceId}' (${code}: ${message}). ${apimRoleFix()}`, 'forbidden', 'AuthorizationFailed', {
      cause: err,
    });
  }
  return new AzureError(`ARM ${action} on '${serviceId}' failed: ${code}: ${message}`, code, statusCode, { cause: err });
}

/** True when ARM answered that another operation is running on the instance. */
export function isConflict(err: unknown): boolean {
  return (err as RestErrorLike).statusCode === 409;
}
