import { RestError } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { isWriteConflict, storageError, storageStatus } from '../../../src/azure/storageErrors';
import { AzureError } from '../../../src/errors';

const restError = (statusCode: number, code: string) => new RestError(`${code} happened\nRequestId:abc`, { statusCode, code });

describe('storage errors', () => {
  it('reads the status of the storage SDK’s own errors', () => {
    expect(storageStatus(restError(404, 'BlobNotFound'))).toBe(404);
    expect(storageStatus(new Error('socket hang up'))).toBeUndefined();
  });

  it('counts 409 and 412 as a lost conditional write, and nothing else', () => {
    expect(isWriteConflict(restError(412, 'ConditionNotMet'))).toBe(true);
    expect(isWriteConflict(restError(409, 'BlobAlreadyExists'))).toBe(true);
    expect(isWriteConflict(restError(500, 'InternalError'))).toBe(false);
  });

  it('names the action and storage’s code, keeps the first line only, and keeps the original as cause', () => {
    const original = restError(500, 'InternalError');
    const wrapped = storageError(original, "read 'x.json'");
    expect(wrapped).toBeInstanceOf(AzureError);
    expect(wrapped.message).toBe("storage: cannot read 'x.json': InternalError: InternalError happened");
    expect((wrapped as AzureError).code).toBe('InternalError');
    expect((wrapped as AzureError).statusCode).toBe(500);
    expect(wrapped.cause).toBe(original);
  });

  it('tells the operator which role to grant when storage denies access', () => {
    expect(storageError(restError(403, 'AuthorizationPermissionMismatch'), 'list the catalog').message).toMatch(
      /give the app's identity 'Storage Blob Data Owner'/,
    );
  });

  it('passes errors that are not storage’s answer through unchanged', () => {
    const reset = new Error('ECONNRESET');
    expect(storageError(reset, 'list the catalog')).toBe(reset);
  });
});
