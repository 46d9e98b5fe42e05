import { describe, expect, it } from 'vitest';
import { asyncOperationFailure, isReadableToken, operationRejection, unknownOutcome } from '../../../src/azure/operationAnswers';
import { armError } from '../../support/restError';

describe("ARM's answers about a long-running operation", () => {
  it('rejects a POST at once on a 4xx that is about the request, keeping ARM’s code and message', () => {
    expect(operationRejection(armError(400, 'InvalidParameters', 'accessKey is required'))).toEqual({
      status: 'rejected',
      code: 'InvalidParameters',
      message: 'accessKey is required',
    });
    expect(operationRejection(armError(400, 'MethodNotAllowedInPricingTier'))?.code).toBe('MethodNotAllowedInPricingTier');
  });

  it('leaves busy, throttled, missing, forbidden and server errors to their own handling', () => {
    for (const status of [401, 403, 404, 408, 409, 429, 500, 503]) expect(operationRejection(armError(status, 'X')), String(status)).toBeUndefined();
    expect(operationRejection(armError(undefined, 'ECONNRESET'))).toBeUndefined();
  });

  it('reads failure from an Azure-AsyncOperation body, and nothing else', () => {
    const failed = JSON.stringify({ status: 'Failed', error: { code: 'StorageAccessDenied', message: 'not authorized' } });
    expect(asyncOperationFailure(failed)).toEqual({ code: 'StorageAccessDenied', message: 'not authorized' });
    expect(asyncOperationFailure(JSON.stringify({ status: 'Canceled' }))).toMatchObject({ code: 'OperationCanceled' });
    for (const body of [
      JSON.stringify({ status: 'InProgress' }),
      JSON.stringify({ status: 'Succeeded' }),
      JSON.stringify({ error: { code: 'X' } }),
      '',
      'not json',
    ]) {
      expect(asyncOperationFailure(body), body).toBeUndefined();
    }
  });

  it('takes a 404 for an expired result and a 5xx or a lost connection for no answer; other errors are not unknowns', () => {
    expect(unknownOutcome(armError(404, 'NotFound'))).toMatchObject({ status: 'unknown', code: 'OperationResultExpired' });
    expect(unknownOutcome(armError(503, 'ServiceUnavailable'))).toMatchObject({ status: 'unknown', code: 'OperationUnanswered' });
    expect(unknownOutcome(armError(undefined, 'ECONNRESET'))).toMatchObject({ status: 'unknown', code: 'OperationUnanswered' });
    expect(unknownOutcome(armError(400, 'BackupFailed'))).toBeUndefined();
    expect(unknownOutcome(armError(429, 'TooManyRequests'))).toBeUndefined();
  });

  it('knows a resumable token from one that cannot be resumed', () => {
    expect(isReadableToken(JSON.stringify({ state: { config: { operationLocation: 'https://management.azure.com/x' } } }))).toBe(true);
    for (const token of ['', 'garbage', '{}', '{"state":{"config":{}}}', 'null']) expect(isReadableToken(token), token).toBe(false);
  });
});
