import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import { operatorIdentity } from '../../../src/cli/breakGlass';

/** A credential that hands out one token, as @azure/identity would for the signed-in operator. */
function credentialOf(token: string): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    getToken: (scope: string | string[]): Promise<AccessToken> => {
      scopes.push(String(scope));
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
}

const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"RS256","typ":"JWT"}', JSON.stringify(claims), 'signature'].map((p, i) => (i < 2 ? Buffer.from(p).toString('base64url') : p)).join('.');

describe('the break-glass operator’s identity', () => {
  it('names the user, object ID and tenant from the ARM token’s claims, and never the token', async () => {
    const token = jwt({ upn: 'alice@contoso.example', oid: '11111111-0000-0000-0000-000000000001', tid: '22222222-0000-0000-0000-000000000002' });
    const credential = credentialOf(token);
    const who = await operatorIdentity(credential, 'https://management.azure.com/.default');
    expect(who).toBe('alice@contoso.example (11111111-0000-0000-0000-000000000001) tenant 22222222-0000-0000-0000-000000000002');
    expect(who).not.toContain(token);
    expect(credential.scopes).toEqual(['https://management.azure.com/.default']);
  });

  it('names a service principal by its app ID', async () => {
    expect(await operatorIdentity(credentialOf(jwt({ appid: 'app-1', oid: 'o' })), 's')).toBe('app:app-1 (o)');
  });

  it('says it does not know, rather than inventing someone, for a token without claims', async () => {
    expect(await operatorIdentity(credentialOf('sandbox-token-1.123'), 's')).toMatch(/^unknown/);
  });
});
