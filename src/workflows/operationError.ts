/**
 * A user error an orchestration met, kept as data in its output: Durable Functions keeps only a failed
 * orchestration's message, so its code and kind (the exit code, the HTTP status) would be lost. The shape is the HTTP
 * API's error body (`{ error: { code, message } }`) with the kind, so that a remote caller raises the very same error.
 */
import { UserError, USER_ERROR_KINDS, type UserErrorKind } from '../errors';

export interface OperationError {
  code: string;
  kind: UserErrorKind;
  message: string;
}

/** For activities whose user errors answer the operation (a dry run's refusal) rather than fail it. */
export async function userErrorAsOutcome<O>(run: () => Promise<O>): Promise<O | { error: OperationError }> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UserError) return { error: { code: err.code, kind: err.kind, message: err.message } };
    throw err;
  }
}

/** The user error an operation's output carries, if it carries one of a known kind. */
export function operationErrorOf(output: unknown): OperationError | undefined {
  const error = (output as { error?: Partial<OperationError> } | null | undefined)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string' || typeof error.kind !== 'string') return undefined;
  return Object.hasOwn(USER_ERROR_KINDS, error.kind) ? (error as OperationError) : undefined;
}
