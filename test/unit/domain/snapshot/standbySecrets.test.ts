import { describe, expect, it } from 'vitest';
import type { ApplyPlan } from '../../../../src/domain/snapshot/applyPlan';
import type { NotCaptured } from '../../../../src/domain/snapshot/captureResource';
import { parseSecretPath } from '../../../../src/domain/snapshot/secretFields';
import { standbySecrets, withSecretFindings } from '../../../../src/domain/snapshot/standbySecrets';

const left = (path: string, what: string): NotCaptured => ({ path, what, reason: 'not captured', fix: 'supply it at apply' });
const NOT_CAPTURED = [
  left('namedValues/orders-key', 'value'),
  left('caches/default', 'connectionString'),
  left('apis/a/policies/policy', 'set-header Authorization'),
];
const CONTEXT = { target: 'apim-v2-neu', snapshotName: 'apim-v2-weu.20261207T060000Z.manual.json.gz' };

describe('parseSecretPath', () => {
  it('splits a secret into its resource and field, a name with dots included', () => {
    expect(parseSecretPath('namedValues/orders.key')).toEqual({ path: 'namedValues/orders.key', field: 'value' });
    expect(parseSecretPath('caches/default.connectionString')).toEqual({ path: 'caches/default', field: 'connectionString' });
    expect(parseSecretPath('backends/orders.v2.credentials.header.x-api-key')).toEqual({ path: 'backends/orders.v2', field: 'credentials.header.x-api-key' });
  });

  it('refuses what apim-dr cannot supply', () => {
    expect(parseSecretPath('caches/default')).toBeUndefined();
    expect(parseSecretPath('apis/a/policies/policy.set-header Authorization')).toBeUndefined();
    expect(parseSecretPath('nothing/x.value')).toBeUndefined();
  });
});

describe('standbySecrets', () => {
  it('supplies each configured secret the snapshot left out from its app setting', () => {
    const out = standbySecrets(
      [
        { path: 'namedValues/Orders-Key', setting: 'APIM_DR_SECRET_ORDERS' },
        { path: 'caches/default.connectionString', setting: 'APIM_DR_SECRET_REDIS' },
      ],
      NOT_CAPTURED,
      { APIM_DR_SECRET_ORDERS: 'v1', APIM_DR_SECRET_REDIS: 'v2' },
      CONTEXT,
    );
    expect([...out.values]).toEqual([
      ['namedValues/orders-key', 'v1'],
      ['caches/default.connectionString', 'v2'],
    ]);
    expect(out).toMatchObject({ supplied: ['namedValues/orders-key', 'caches/default.connectionString'], missingSettings: [], findings: [] });
  });

  it('names the missing setting in a partial finding instead of failing', () => {
    const out = standbySecrets([{ path: 'caches/default.connectionString', setting: 'APIM_DR_SECRET_REDIS' }], NOT_CAPTURED, {}, CONTEXT);
    expect(out.values.size).toBe(0);
    expect(out.missingSettings).toEqual(['APIM_DR_SECRET_REDIS']);
    expect(out.findings).toEqual([
      expect.objectContaining({
        severity: 'partial',
        code: 'SecretSettingMissing',
        resource: 'caches/default',
        message: expect.stringContaining("'APIM_DR_SECRET_REDIS'"),
      }),
    ]);
    expect(out.findings[0]!.fix).toContain("add the app setting 'APIM_DR_SECRET_REDIS'");
  });

  it('takes a Key Vault reference App Service could not resolve for a missing setting, never for the secret', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/neu-redis/)';
    const out = standbySecrets(
      [{ path: 'caches/default.connectionString', setting: 'APIM_DR_SECRET_REDIS' }],
      NOT_CAPTURED,
      { APIM_DR_SECRET_REDIS: reference },
      CONTEXT,
    );
    expect(out.values.size).toBe(0);
    expect(out.missingSettings).toEqual(['APIM_DR_SECRET_REDIS']);
    expect(out.findings).toEqual([expect.objectContaining({ severity: 'partial', code: 'SecretSettingUnresolved', resource: 'caches/default' })]);
    expect(out.findings[0]!.fix).toContain('Key Vault Secrets User');
  });

  it('gives a notice, and reads nothing, for a secret the snapshot did not leave out', () => {
    const out = standbySecrets([{ path: 'namedValues/gone', setting: 'APIM_DR_SECRET_GONE' }], NOT_CAPTURED, { APIM_DR_SECRET_GONE: 'x' }, CONTEXT);
    expect(out.values.size).toBe(0);
    expect(out.findings).toEqual([expect.objectContaining({ severity: 'notice', code: 'SecretNotLeftOut', resource: 'namedValues/gone' })]);
  });

  it('never reads a setting outside APIM_DR_SECRET_, whatever it is handed', () => {
    const out = standbySecrets([{ path: 'namedValues/orders-key', setting: 'APIM_DR_CONFIG' }], NOT_CAPTURED, { APIM_DR_CONFIG: '{}' }, CONTEXT);
    expect(out.values.size).toBe(0);
    expect(out.missingSettings).toEqual(['APIM_DR_CONFIG']);
  });

  it('makes a fully restorable plan partially so when a setting is missing, and a notice changes no verdict', () => {
    const plan = { verdict: 'Fully restorable', findings: [] } as unknown as ApplyPlan;
    const partial = standbySecrets([{ path: 'namedValues/orders-key', setting: 'APIM_DR_SECRET_X' }], NOT_CAPTURED, {}, CONTEXT).findings;
    const notice = standbySecrets([{ path: 'namedValues/gone', setting: 'APIM_DR_SECRET_X' }], NOT_CAPTURED, {}, CONTEXT).findings;
    expect(withSecretFindings(plan, partial).verdict).toBe('Partially restorable');
    expect(withSecretFindings(plan, notice)).toMatchObject({ verdict: 'Fully restorable', findings: notice });
  });
});
