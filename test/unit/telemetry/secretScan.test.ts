import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/telemetry/logger';
import { findSecrets } from '../../../src/telemetry/secretScan';

describe('findSecrets', () => {
  it.each([
    ['bearer token', 'Authorization: Bearer abcdefghijklmnop'],
    ['storage account key', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFyYmF6;'],
    ['shared access signature', 'https://a.blob.core.windows.net/c/b?sv=2024&sig=abc%2Bdef'],
    ['JWT', 'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl'],
    ['sandbox access token', '{"token":"sandbox-token-12"}'],
  ])('finds a %s', (what, text) => {
    expect(findSecrets(text).map((f) => f.what)).toContain(what);
    expect(JSON.stringify(findSecrets(text))).not.toContain(text);
  });

  it('finds known secret values literally, and passes what the logger redacted', () => {
    expect(findSecrets('key is s3cr3t-value-1', ['s3cr3t-value-1'])).toMatchObject([{ what: 'known secret value' }]);
    const logged = JSON.stringify(redact({ url: 'https://a/b?sig=abc', header: 'Bearer abcdefghijklmnop', connectionString: 'AccountKey=x' }));
    expect(findSecrets(logged)).toEqual([]);
  });
});
