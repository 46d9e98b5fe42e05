import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import { configProblems as problems } from '../../support/configProblems';
import { SERVICE, STANDBY, STANDBY_FIELD, standbyConfig } from '../../support/standbyConfig';

const withSecrets = (secrets: unknown) => standbyConfig({ secrets });
const FIELD = `${STANDBY_FIELD}.secrets`;

describe('standbys[].secrets', () => {
  it('takes the secrets a snapshot leaves out, each with the APIM_DR_SECRET_ app setting that holds it', () => {
    const secrets = {
      'namedValues/orders-key': 'APIM_DR_SECRET_ORDERS_KEY',
      'caches/default.connectionString': 'APIM_DR_SECRET_NEU_REDIS',
      'backends/orders.v2.credentials.header.x-api-key': 'APIM_DR_SECRET_ORDERS_BACKEND',
      'identityProviders/aad.clientSecret': 'APIM_DR_SECRET_AAD',
      'workspaces/sales/namedValues/sales-key': 'APIM_DR_SECRET_SALES',
    };
    expect(parseConfig(withSecrets(secrets)).services[0]!.standbys[0]!.secrets).toEqual(secrets);
  });

  it('has no secrets unless configured', () => {
    const config = parseConfig({ ...withSecrets(undefined), services: [{ id: SERVICE, standbys: [{ id: STANDBY }] }] });
    expect(config.services[0]!.standbys[0]!.secrets).toBeUndefined();
  });

  it('names the secret, the problem and the fix for a path apim-dr cannot supply', () => {
    const found = problems(
      withSecrets({
        'caches/default.connString': 'APIM_DR_SECRET_NEU_REDIS',
        'apis/orders/policies/policy.set-header Authorization': 'APIM_DR_SECRET_AUTH',
        'orders-key': 'APIM_DR_SECRET_ORDERS_KEY',
      }),
    );
    expect(found).toEqual([
      { path: `${FIELD}["caches/default.connString"]`, message: expect.stringContaining('caches/<id>.connectionString') },
      { path: `${FIELD}["apis/orders/policies/policy.set-header Authorization"]`, message: expect.stringContaining('apim-dr snapshot show') },
      { path: `${FIELD}["orders-key"]`, message: expect.stringContaining('namedValues/<name>') },
    ]);
  });

  it("refuses a setting outside APIM_DR_SECRET_, so the config cannot copy the app's own settings into an instance", () => {
    const found = problems(withSecrets({ 'namedValues/orders-key': 'APIM_DR_CONFIG' }));
    expect(found).toEqual([{ path: `${FIELD}["namedValues/orders-key"]`, message: expect.stringContaining("starting 'APIM_DR_SECRET_'") }]);
  });

  it('never echoes a value that is no setting name: it may be the secret itself, pasted in', () => {
    const pasted = 'redis.neu.example:6380,password=p4ss-w0rd-9f3c,ssl=True';
    const found = problems(withSecrets({ 'caches/default.connectionString': pasted }));
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found)).not.toContain('p4ss-w0rd-9f3c');
    expect(found[0]!.message).toContain('not the secret itself');
  });

  it('refuses the same secret named twice in different case', () => {
    const found = problems(withSecrets({ 'namedValues/orders-key': 'APIM_DR_SECRET_A', 'namedValues/Orders-Key': 'APIM_DR_SECRET_B' }));
    expect(found).toEqual([{ path: `${FIELD}["namedValues/Orders-Key"]`, message: expect.stringContaining("'namedValues/orders-key'") }]);
  });
});
