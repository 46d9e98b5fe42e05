import { describe, expect, it } from 'vitest';
import { AzureError, ensureError, ExitCode, exitCodeFor, USER_ERROR_KINDS, UserError, ValidationError, type UserErrorKind } from '../../src/errors';

describe('the error contract', () => {
  it.each<[UserErrorKind, number, number]>([
    ['usage', 400, 2],
    ['config', 500, 2],
    ['refused', 403, 3],
    ['conflict', 409, 1],
    ['not-found', 404, 1],
    ['forbidden', 403, 1],
    ['unauthenticated', 401, 1],
  ])('maps a %s error to HTTP %i and exit code %i', (kind, status, exitCode) => {
    const err = new UserError('x', kind, 'Code');
    expect(err.status).toBe(status);
    expect(exitCodeFor(err)).toBe(exitCode);
    expect(USER_ERROR_KINDS[kind].meaning.length).toBeGreaterThan(10);
  });

  it('exits 1 for Azure’s errors and for anything unexpected', () => {
    expect(exitCodeFor(new AzureError('ARM failed', 'InternalServerError', 500))).toBe(ExitCode.failed);
    expect(exitCodeFor(new TypeError('bug'))).toBe(ExitCode.failed);
    expect(exitCodeFor('a string')).toBe(ExitCode.failed);
  });

  it('treats an invalid config as a config error and an invalid request as a usage error', () => {
    const problems = [{ path: 'services[0].rpo', message: 'bad' }];
    expect(exitCodeFor(new ValidationError('config file', problems, 'config'))).toBe(ExitCode.usage);
    expect(new ValidationError('config file', problems, 'config').status).toBe(500);
    expect(new ValidationError('request body', problems).status).toBe(400);
    expect(new ValidationError('request body', problems).message).toBe('request body is invalid:\n  - services[0].rpo: bad');
  });

  it('keeps the SDK error as cause, and its request ID for a support case', () => {
    const sdk = Object.assign(new Error('boom'), { response: { headers: { get: (name: string) => (name === 'x-ms-request-id' ? 'req-123' : undefined) } } });
    const err = new AzureError('ARM backup failed', 'InternalServerError', 500, { cause: sdk });
    expect(err.cause).toBe(sdk);
    expect(err.requestId).toBe('req-123');
    expect(new AzureError('no cause', 'X').requestId).toBeUndefined();
  });

  it('turns anything thrown into an Error without losing what it said', () => {
    const original = new RangeError('r');
    expect(ensureError(original)).toBe(original);
    expect(ensureError('plain').message).toBe('plain');
    expect(ensureError({ code: 42 }).message).toBe('{"code":42}');
  });
});
