/** The two error families of apim-dr: the user's (fixable by them) and the system's (Azure failed). */

/** Something the user can fix: bad config, bad request, an instance that cannot be backed up. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    /** HTTP status this maps to at the edge. */
    readonly status: 400 | 403 | 404 | 409 | 422 = 400,
    /** Machine-readable code, stable across releases. */
    readonly code = 'BadRequest',
  ) {
    super(message);
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
  ) {
    super(`${what} is invalid:\n${problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n')}`, 400, 'ValidationError');
  }
}

/** Azure (or storage) failed; carries the ARM error code and message so operators can act on it. */
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
