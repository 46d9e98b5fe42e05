import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../../../src/domain/snapshot/captureResource';
import { isSuppliable, secretPath, setSecretField, supplyFlags } from '../../../../src/domain/snapshot/secretFields';

describe('secret fields an apply can be given', () => {
  it('names a named value by its path and any other secret by its path and field', () => {
    expect(secretPath('namedValues/orders-key', 'value')).toBe('namedValues/orders-key');
    expect(secretPath('identityProviders/aad', 'clientSecret')).toBe('identityProviders/aad.clientSecret');
  });

  it('lets backends, loggers, providers, subscriptions and certificates be supplied, never a policy', () => {
    expect(isSuppliable('backends/b', 'credentials.header.x-api-key')).toBe(true);
    expect(isSuppliable('backends/b', 'credentials.authorization.parameter')).toBe(true);
    expect(isSuppliable('backends/b', 'url')).toBe(false);
    expect(isSuppliable('loggers/ai', 'credentials.instrumentationKey')).toBe(true);
    expect(isSuppliable('authorizationServers/o', 'resourceOwnerPassword')).toBe(true);
    expect(isSuppliable('certificates/c', 'data')).toBe(true);
    expect(isSuppliable('apis/orders/policies/policy', 'set-header Authorization')).toBe(false);
    expect(supplyFlags('apis/orders/policies/policy', ['set-header Authorization'])).toBe('');
  });

  it('replaces a redacted header value and keeps the others', () => {
    const properties = { credentials: { header: { 'x-api-key': [REDACTED], 'x-ref': ['{{host}}'] } } };
    expect(setSecretField(properties, 'credentials.header.x-api-key', 'k')).toEqual({ credentials: { header: { 'x-api-key': ['k'], 'x-ref': ['{{host}}'] } } });
    expect(properties.credentials.header['x-api-key']).toEqual([REDACTED]);
    expect(setSecretField({ proxy: { url: 'p' } }, 'proxy.password', 'x')).toEqual({ proxy: { url: 'p', password: 'x' } });
  });
});
