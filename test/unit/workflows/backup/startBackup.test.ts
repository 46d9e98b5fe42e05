import { describe, expect, it } from 'vitest';
import { startBackup } from '../../../../src/workflows/backup/startBackup';
import type { StartBackupInput } from '../../../../src/workflows/backup/types';
import { fakeServices, instance, NOW, SOURCE_ID } from '../../../support/fakeServices';

const input: StartBackupInput = {
  serviceId: SOURCE_ID,
  trigger: 'manual',
  requestedBy: 'operator@contoso.example',
  correlationId: 'corr-4',
  requestedAt: NOW.toISOString(),
  owner: `backup-apim-weu@${NOW.toISOString()}`,
};
const NAME = 'apim-weu.20260510T120000Z.manual.apimbackup';

describe('startBackup', () => {
  it('records a running manifest with the instance and its inventory, sends the POST once and keeps its token', async () => {
    const fake = fakeServices();
    fake.inventories.set('apim-weu', { apis: 4, products: 1, namedValues: 2 });
    expect(await startBackup(fake.services, input)).toMatchObject({ status: 'started', backupName: NAME, token: 'new-token' });
    expect(fake.posts).toEqual(['backup apim-weu']);
    expect((await fake.manifests.read(NAME))?.record).toMatchObject({
      state: 'running',
      operationToken: 'new-token',
      inventory: { apis: 4, products: 1, namedValues: 2 },
      createdAt: NOW.toISOString(),
      expiresAt: '2026-06-09T12:00:00.000Z',
    });
    expect(fake.indexed.map((m) => m.backupName)).toEqual([NAME]);
  });

  it('run again, answers from its record and sends no second POST', async () => {
    const fake = fakeServices();
    await startBackup(fake.services, input);
    expect(await startBackup(fake.services, input)).toMatchObject({ status: 'started', token: 'new-token' });
    expect(fake.posts).toHaveLength(1);
  });

  it('waits, writing nothing, while the instance is busy with another operation', async () => {
    const fake = fakeServices();
    fake.instances.set('apim-weu', instance('apim-weu', { provisioningState: 'Updating' }));
    expect(await startBackup(fake.services, input)).toMatchObject({ status: 'busy', message: "instance is 'Updating'", retryAfterMs: 60_000 });
    expect(fake.manifests.byName.size).toBe(0);
    expect(fake.posts).toEqual([]);
  });

  it('refuses an instance that cannot be backed up, recording why as a failed backup', async () => {
    const fake = fakeServices();
    fake.instances.set('apim-weu', instance('apim-weu', { sku: { name: 'StandardV2', capacity: 1 } }));
    const started = await startBackup(fake.services, input);
    expect(started.status).toBe('refused');
    expect((await fake.manifests.read(NAME))?.record).toMatchObject({ state: 'failed', error: { code: (started as { code: string }).code } });
    expect(fake.posts).toEqual([]);
  });

  it('refuses a name another orchestration owns', async () => {
    const fake = fakeServices();
    await startBackup(fake.services, { ...input, owner: 'someone-else' });
    expect(await startBackup(fake.services, input)).toMatchObject({ status: 'refused', code: 'NameInUse' });
  });
});
