import { RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { armErrorCode, isConflict, toApimError } from '../../../src/azure/armErrors';
import { AzureError, UserError } from '../../../src/errors';
import { armError } from '../../support/restError';

const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one';

describe('ARM answers, classified', () => {
  it('reads the ARM code and message from the error body rather than the SDK’s summary', () => {
    expect(armErrorCode(armError(400, 'InvalidParameters', 'backupName is too long'))).toEqual({
      code: 'InvalidParameters',
      message: 'backupName is too long',
      statusCode: 400,
    });
  });

  it('makes a missing instance a not-found user error that says to check the config', () => {
    const err = toApimError(armError(404, 'ResourceNotFound'), ID, 'read');
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).kind).toBe('not-found');
    expect(err.message).toMatch(/check the resource ID in the config/);
  });

  it.each([401, 403])('makes a %i a forbidden user error naming the role to assign', (status) => {
    const err = toApimError(armError(status, 'AuthorizationFailed'), ID, 'back up');
    expect((err as UserError).kind).toBe('forbidden');
    expect(err.message).toContain("Assign it apim-dr's role 'apim-dr APIM backup and restore (<environment> …)' on that instance");
    expect(err.message).toContain('Microsoft.ApiManagement/service/migrateToStv2/action');
    expect(err.cause).toBeInstanceOf(RestError);
  });

  it.each([409, 429, 500, 503])('leaves a %i to the system: an AzureError with the ARM code, kept cause, retried', (status) => {
    const sdk = armError(status, 'Whatever');
    const err = toApimError(sdk, ID, 'back up');
    expect(err).toBeInstanceOf(AzureError);
    expect((err as AzureError).code).toBe('Whatever');
    expect((err as AzureError).statusCode).toBe(status);
    expect(err.cause).toBe(sdk);
  });

  it('knows a 409 for another operation on the instance', () => {
    expect(isConflict(armError(409, 'Conflict'))).toBe(true);
    expect(isConflict(armError(400, 'Conflict'))).toBe(false);
  });
});
