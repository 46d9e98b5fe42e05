import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import { configProblems as problems } from '../../support/configProblems';

const ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one';
const minimal = { storage: { account: 'backupacct', container: 'apim-backups' }, services: [{ id: ID }] };

describe('config', () => {
  it('fills the defaults a minimal config leaves out', () => {
    const config = parseConfig(minimal);
    expect(config.auth).toBe('managed-identity');
    expect(config.arm.endpoint).toBe('https://management.azure.com');
    expect(config.defaults).toMatchObject({ rpo: 86_400_000, pollInterval: 60_000, concurrencyPerSubscription: 20 });
    // No schedule: backups are planned from the RPO alone.
    expect(config.defaults.schedule).toBeUndefined();
    expect(config.defaults.access).toEqual({ type: 'SystemAssignedManagedIdentity' });
  });

  it('drops the trailing slash Azure puts on the endpoints it reports', () => {
    const config = parseConfig({
      ...minimal,
      storage: { ...minimal.storage, endpoint: 'https://backupacct.blob.core.windows.net/' },
      arm: { endpoint: 'https://management.usgovcloudapi.net/' },
    });
    expect(config.storage.endpoint).toBe('https://backupacct.blob.core.windows.net');
    expect(config.arm.endpoint).toBe('https://management.usgovcloudapi.net');
  });

  it('reports every problem at once, each with its path and value', () => {
    const found = problems({
      storage: { account: 'Not_Valid', container: 'apim-backups' },
      services: [{ id: '/subscriptions/x', schedule: '0 2 * * *', rpo: 'one day' }],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'storage.account', message: expect.stringContaining('"Not_Valid"') }),
        expect.objectContaining({ path: 'services[0].id', message: expect.stringContaining("'/subscriptions/x'") }),
        expect.objectContaining({ path: 'services[0].schedule', message: expect.stringContaining('6-field NCRONTAB') }),
        expect.objectContaining({ path: 'services[0].rpo', message: expect.stringContaining("'one day'") }),
      ]),
    );
    expect(found).toHaveLength(4);
  });

  it('refuses unknown keys, naming them', () => {
    expect(problems({ ...minimal, retention: 'P90D' })).toEqual([{ path: '', message: expect.stringContaining("'retention'") }]);
  });

  it('takes the name of the app setting that holds an access key, never the key', () => {
    const config = parseConfig({ ...minimal, defaults: { access: { type: 'AccessKey', keySetting: 'BACKUP_STORAGE_KEY' } } });
    expect(config.defaults.access).toEqual({ type: 'AccessKey', keySetting: 'BACKUP_STORAGE_KEY' });
    const found = problems({ ...minimal, defaults: { access: { type: 'AccessKey', keySetting: 'abc+/def==' } } });
    expect(found[0]?.path).toBe('defaults.access.keySetting');
    expect(found[0]?.message).toContain('NAME of an app setting');
  });

  it('refuses two instances with the same name, since their backups would share a catalog', () => {
    const other = ID.replace('/rg/', '/rg2/');
    expect(problems({ ...minimal, services: [{ id: ID }, { id: other }] })).toEqual([
      { path: 'services[1].id', message: expect.stringContaining("'apim-one' is already used by services[0]") },
    ]);
  });

  it('allows the sandbox credential only when every endpoint is on loopback', () => {
    expect(() =>
      parseConfig({
        ...minimal,
        auth: 'sandbox',
        arm: { endpoint: 'https://127.0.0.1:8443' },
        storage: { ...minimal.storage, endpoint: 'http://127.0.0.1:10000/devstoreaccount1' },
      }),
    ).not.toThrow();
    expect(problems({ ...minimal, auth: 'sandbox' })).toEqual([
      { path: 'auth', message: expect.stringContaining("'https://management.azure.com' is not") },
      { path: 'auth', message: expect.stringContaining("'https://backupacct.blob.core.windows.net' is not") },
    ]);
  });

  it('refuses the sandbox credential when storage would go to the public default endpoint', () => {
    const found = problems({ ...minimal, auth: 'sandbox', arm: { endpoint: 'https://127.0.0.1:8443' } });
    expect(found).toEqual([{ path: 'auth', message: expect.stringContaining("'https://backupacct.blob.core.windows.net' is not") }]);
  });

  it.each([
    ['arm.endpoint', { arm: { endpoint: 'ftp://management.azure.com' } }, 'must be an https:// URL'],
    ['arm.endpoint', { arm: { endpoint: 'http://127.0.0.1:8443' } }, 'must be an https:// URL'],
    ['storage.endpoint', { storage: { ...minimal.storage, endpoint: 'file:///etc/passwd' } }, 'must be an https:// URL'],
    ['storage.endpoint', { storage: { ...minimal.storage, endpoint: 'http://backupacct.blob.core.windows.net' } }, 'http:// only on loopback'],
  ])('refuses %s with a scheme it cannot use (%j)', (path, change, message) => {
    expect(problems({ ...minimal, ...change })).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('refuses a standby that is the instance itself', () => {
    expect(problems({ ...minimal, services: [{ id: ID, standbys: [{ id: ID.toUpperCase() }] }] })).toEqual([
      { path: 'services[0].standbys[0].id', message: expect.stringContaining('restoring an instance into itself is an in-place restore') },
    ]);
  });

  it('refuses a restore margin as long as the 30-day restore window', () => {
    expect(problems({ ...minimal, defaults: { restoreMargin: 'P30D' } })).toEqual([
      { path: 'defaults.restoreMargin', message: expect.stringContaining('must be shorter than P30D') },
    ]);
  });

  it.each([
    ['defaults.access.keySetting', { defaults: { access: { type: 'AccessKey', keySetting: 'abc+/DEF==secretkeyvalue' } } }, 'abc+/DEF==secretkeyvalue'],
    [
      'storage.connectionStringSetting',
      { storage: { ...minimal.storage, connectionStringSetting: 'DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0' } },
      'c2VjcmV0',
    ],
    ['notifications.webhooks[0].urlSetting', { notifications: { webhooks: [{ urlSetting: 'https://contoso.webhook.office.com/x?sig=s3cr3t' }] } }, 's3cr3t'],
  ])('never prints the secret pasted where %s names a setting', (path, change, secret) => {
    let message = '';
    try {
      parseConfig({ ...minimal, ...change });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(path);
    expect(message).toContain('not the secret itself');
    expect(message).not.toContain(secret);
  });

  it('quotes at most 200 characters of a bad value, with its length', () => {
    const found = problems({ ...minimal, services: [{ id: ID, rpo: 'x'.repeat(50_000) }] });
    expect(found[0]!.message.length).toBeLessThan(400);
    expect(found[0]!.message).toContain('… (50000 characters)');
  });

  it('parses event debounce durations', () => {
    const config = parseConfig({ ...minimal, services: [{ id: ID, events: { enabled: true, quietPeriod: 'PT2M' } }] });
    expect(config.services[0]!.events).toEqual({ enabled: true, quietPeriod: 120_000, maxDelay: 1_800_000 });
  });
});
