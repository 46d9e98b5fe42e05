/** The two error families of apim-dr: the user's (fixable by them) and the system's (Azure failed). */

/**
 * What kind of mistake or refusal a user error is. The kind alone decides how it surfaces: its HTTP status and
 * the CLI's exit code (USER_ERROR_KINDS), so that a caller can act on it without parsing messages.
 */
export type UserErrorKind = 'usage' | 'config' | 'refused' | 'conflict' | 'not-found' | 'forbidden' | 'unauthenticated';

/** CLI exit codes: 0 ok, 1 failed, 2 usage or config error, 3 refused (a dry run's verdict or a consent rule). */
export const ExitCode = { ok: 0, failed: 1, usage: 2, refused: 3 } as const;

/** The one table from kind to HTTP status and CLI exit code. */
export const USER_ERROR_KINDS: Readonly<Record<UserErrorKind, { status: number; exitCode: number; meaning: string }>> = {
  usage: { status: 400, exitCode: ExitCode.usage, meaning: 'the request or the command line is malformed' },
  // The app's own config is wrong: nothing the caller of an HTTP route can fix, so a server error there.
  config: { status: 500, exitCode: ExitCode.usage, meaning: 'the config or an app setting it names is wrong' },
  refused: { status: 403, exitCode: ExitCode.refused, meaning: "a dry run's verdict or a consent rule refuses the operation" },
  conflict: { status: 409, exitCode: ExitCode.failed, meaning: 'another operation holds the instance; try again when it has finished' },
  'not-found': { status: 404, exitCode: ExitCode.failed, meaning: 'an instance, backup, record or container does not exist' },
  forbidden: { status: 403, exitCode: ExitCode.failed, meaning: "the caller, or the app's identity, lacks a role it needs" },
  unauthenticated: { status: 401, exitCode: ExitCode.failed, meaning: 'no validated caller: sign in with Entra ID' },
};

/** Something the user can fix: bad config, bad request, an instance that cannot be backed up. Never retried. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly kind: UserErrorKind = 'usage',
    /** Machine-readable code, stable across releases. */
    readonly code = 'BadRequest',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The HTTP status this maps to at the edge. */
  get status(): number {
    return USER_ERROR_KINDS[this.kind].status;
  }
}

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `services[0].schedule`. */
  path: string;
  message: string;
}

/** Every problem found in a config or request, reported at once. */
export class ValidationError extends UserError {
  override name = 'ValidationError';
  constructor(
    readonly what: string,
    readonly problems: FieldProblem[],
    kind: 'usage' | 'config' = 'usage',
  ) {
    super(`${what} is invalid:\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`, kind, 'ValidationError');
  }
}

/** Azure (or storage) failed; carries the ARM error code, the HTTP status and the original error as `cause`. */
export class AzureError extends Error {
  override name = 'AzureError';
  constructor(
    message: string,
    readonly code: string,
    readonly statusCode?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The request ID Azure gave the failed call, for a support case (from the SDK error kept as `cause`). */
  get requestId(): string | undefined {
    const cause = this.cause as { request?: { requestId?: string }; response?: { headers?: { get?(name: string): string | undefined } } } | undefined;
    return cause?.response?.headers?.get?.('x-ms-request-id') ?? cause?.request?.requestId;
  }
}

/** The CLI exit code for any error: a user error's kind decides; anything else means the command failed. */
export function exitCodeFor(err: unknown): number {
  return err instanceof UserError ? USER_ERROR_KINDS[err.kind].exitCode : ExitCode.failed;
}

export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}
