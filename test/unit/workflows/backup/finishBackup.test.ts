import { describe, expect, it } from 'vitest';
import { finishBackup } from '../../../../src/workflows/backup/finishBackup';
import { BACKUP_NAME, fakeServices, NOW, runningManifest } from '../../../support/fakeServices';

describe('finishBackup', () => {
  it('settles a succeeded backup with its blob size, tags the blob, indexes and reports it', async () => {
    const fake = fakeServices();
    fake.manifests.put(runningManifest());
    fake.blobSizes.set(BACKUP_NAME, 4096);
    const summary = await finishBackup(fake.services, { serviceId: '', backupName: BACKUP_NAME, outcome: { status: 'succeeded' } });
    expect(summary).toMatchObject({ state: 'succeeded', blobSize: 4096, completedAt: NOW.toISOString(), service: 'apim-weu' });
    expect((await fake.manifests.read(BACKUP_NAME))?.record.state).toBe('succeeded');
    expect(fake.tagged).toEqual([BACKUP_NAME]);
    expect(fake.indexed.map((m) => m.state)).toEqual(['succeeded']);
    expect(fake.events.map((e) => e.name)).toEqual(['apim-dr.backup.succeeded']);
    expect(fake.finished).toEqual([{ kind: 'backup', state: 'succeeded' }]);
  });

  it('fails a backup ARM called a success when its blob is missing', async () => {
    const fake = fakeServices();
    fake.manifests.put(runningManifest());
    const summary = await finishBackup(fake.services, { serviceId: '', backupName: BACKUP_NAME, outcome: { status: 'succeeded' } });
    expect(summary).toMatchObject({ state: 'failed', error: { code: 'BackupBlobMissing' } });
    expect(fake.tagged).toEqual([]);
  });

  it('records the failure ARM reported', async () => {
    const fake = fakeServices();
    fake.manifests.put(runningManifest());
    const outcome = { status: 'failed' as const, code: 'InvalidParameters', message: 'no access to the container' };
    expect(await finishBackup(fake.services, { serviceId: '', backupName: BACKUP_NAME, outcome })).toMatchObject({
      state: 'failed',
      error: { code: 'InvalidParameters', message: 'no access to the container' },
    });
    expect(fake.events.map((e) => [e.name, e.level])).toEqual([['apim-dr.backup.failed', 'error']]);
  });

  it('run again on a settled manifest, changes and reports nothing, but still indexes it', async () => {
    const fake = fakeServices();
    fake.manifests.put(runningManifest({ state: 'succeeded', blobSize: 10, completedAt: '2026-05-10T11:50:00.000Z' }));
    const summary = await finishBackup(fake.services, { serviceId: '', backupName: BACKUP_NAME, outcome: { status: 'failed', code: 'X', message: 'late' } });
    expect(summary).toMatchObject({ state: 'succeeded', completedAt: '2026-05-10T11:50:00.000Z' });
    expect(fake.manifests.writes).toBe(0);
    expect(fake.events).toEqual([]);
    expect(fake.indexed).toHaveLength(1);
  });

  it('refuses to settle a backup whose manifest is gone', async () => {
    const fake = fakeServices();
    await expect(finishBackup(fake.services, { serviceId: '', backupName: BACKUP_NAME, outcome: { status: 'succeeded' } })).rejects.toThrow(
      `manifest for '${BACKUP_NAME}' vanished before the backup finished`,
    );
  });
});
