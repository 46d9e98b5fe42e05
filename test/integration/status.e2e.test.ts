import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupNow, startHarness, type Harness } from '../support/harness';

describe('GET /api/status', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const status = async () => (await h.api('GET', '/api/status')).body;
  const instance = (body: { instances: { service: string }[] }, name: string) => body.instances.find((i) => i.service === name) as Record<string, any>;

  it('calls every instance unprotected before its first backup', async () => {
    const body = await status();
    expect(body.summary).toEqual({ protected: 0, 'at-risk': 0, unprotected: 3 });
    expect(instance(body, 'contoso-apim-weu')).toMatchObject({
      protection: 'unprotected',
      reasons: ['no restorable backup'],
      standbys: [{ service: 'contoso-apim-neu', sync: 'manual' }],
    });
  });

  it('shows what is restorable, how old, when it expires, and the last failure with its reason', async () => {
    await backupNow(h, 'contoso-apim-weu');
    h.sandbox.apim.failNextOperation('contoso-apim-neu', { code: 'StorageAccessDenied', message: 'denied by the storage firewall' });
    await backupNow(h, 'contoso-apim-neu');
    const body = await status();
    expect(body.summary).toEqual({ protected: 1, 'at-risk': 0, unprotected: 2 });
    expect(instance(body, 'contoso-apim-weu')).toMatchObject({
      protection: 'protected',
      newestRestorable: { backupName: expect.stringMatching(/^contoso-apim-weu\./), ageMs: expect.any(Number), expiresInMs: expect.any(Number) },
    });
    expect(instance(body, 'contoso-apim-neu')).toMatchObject({
      protection: 'unprotected',
      reasons: ['no restorable backup', 'last backup failed'],
      lastFailure: { code: 'StorageAccessDenied', message: 'denied by the storage firewall' },
    });
  });

  it('marks an instance at risk once its newest backup is older than the RPO, and shows a running backup', async () => {
    await backupNow(h, 'contoso-apim-weu');
    await h.clock.advance(25 * 3_600_000);
    await h.api('POST', '/api/backups', { service: 'contoso-apim-weu' });
    await h.clock.advance(20_000);
    const weu = instance(await status(), 'contoso-apim-weu');
    expect(weu).toMatchObject({
      protection: 'at-risk',
      reasons: ['newest restorable backup is older than the RPO'],
      running: { phase: 'running', backupName: expect.stringMatching(/\.manual\.apimbackup$/) },
    });
  });
});
