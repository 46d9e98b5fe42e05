/** Storage failures as apim-dr reports them: the action, storage's code, and the role to grant when access is denied. */
import { AzureError, ensureError } from '../errors';

interface RestErrorLike {
  name: string;
  statusCode?: number;
  code?: string;
  message: string;
}

/** Duck-typed like the SDK's own `isRestError`, so that no storage SDK module loads just to classify an error. */
function asRestError(err: unknown): RestErrorLike | undefined {
  return err instanceof Error && err.name === 'RestError' ? err : undefined;
}

/** The HTTP status storage answered with, when the error is storage's answer. */
export function storageStatus(err: unknown): number | undefined {
  return asRestError(err)?.statusCode;
}

/** True when a conditional write lost its race (another writer changed or created the blob first). */
export function isWriteConflict(err: unknown): boolean {
  const status = storageStatus(err);
  return status === 409 || status === 412;
}

/** Wraps a storage failure during `action`, keeping the original as `cause`. */
export function storageError(err: unknown, action: string): Error {
  const rest = asRestError(err);
  if (!rest) return ensureError(err);
  const hint = rest.statusCode === 403 ? ": give the app's identity 'Storage Blob Data Owner' on the backup container (index tags need it)" : '';
  const code = rest.code ?? 'StorageError';
  return new AzureError(`storage: cannot ${action}: ${rest.code ?? rest.statusCode}: ${rest.message.split('\n')[0]}${hint}`, code, rest.statusCode, {
    cause: err,
  });
}
