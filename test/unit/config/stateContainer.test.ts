import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import { ValidationError } from '../../../src/errors';

const ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one';
const withStorage = (storage: Record<string, unknown>) => ({
  storage: { account: 'backupacct', container: 'apim-backups', ...storage },
  services: [{ id: ID }],
});

describe('storage.stateContainer', () => {
  it('defaults to apim-dr-state, in the same account as the backups', () => {
    expect(parseConfig(withStorage({})).storage.stateContainer).toBe('apim-dr-state');
  });

  it.each([
    ['the backup container itself', 'apim-backups', /must differ from storage\.container \('apim-backups'\)/],
    ['an invalid container name', 'Apim_State', /must be a blob container name/],
  ])('refuses %s, naming the field', (_, stateContainer, message) => {
    let error: unknown;
    try {
      parseConfig(withStorage({ stateContainer }));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toContainEqual({ path: 'storage.stateContainer', message: expect.stringMatching(message) });
  });
});
