import { describe, expect, it } from 'vitest';
import type { Services } from '../../../../src/services';
import { readSecrets } from '../../../../src/workflows/snapshot/readSecrets';

const withSettings = (settings: Record<string, string>) => ({ settings }) as unknown as Services;
const supply = { path: 'namedValues/orders-key', from: { setting: 'APIM_DR_SECRET_ORDERS' } };

describe('readSecrets', () => {
  it('reads a secret from its app setting', async () => {
    expect(await readSecrets(withSettings({ APIM_DR_SECRET_ORDERS: 's3cret' }), [supply])).toEqual(new Map([['namedValues/orders-key', 's3cret']]));
  });

  it('refuses a Key Vault reference App Service could not resolve, rather than write its text as the secret', async () => {
    const settings = { APIM_DR_SECRET_ORDERS: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/orders/)' };
    await expect(readSecrets(withSettings(settings), [supply])).rejects.toMatchObject({
      code: 'SecretUnresolved',
      message: expect.stringContaining("'APIM_DR_SECRET_ORDERS' is a Key Vault reference App Service could not resolve"),
    });
  });
});
