import { describe, expect, it } from 'vitest';
import { startMigration } from '../../../../src/workflows/migrate/startMigration';
import { fakeServices, instance, MIGRATION_RECORD, NOW, runningMigration } from '../../../support/fakeServices';

const PRE = { backupName: 'apim-weu.20260510T113000Z.pre-migration.apimbackup', expiresAt: '2026-06-09T11:30:00.000Z' };
const notStarted = { operationToken: undefined, startedAt: undefined };

describe('startMigration', () => {
  it("sends migrateToStv2 once with the record's mode, the way back recorded with the mark", async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration(notStarted));
    expect(await startMigration(fake.services, { recordName: MIGRATION_RECORD, preMigrationBackup: PRE })).toMatchObject({
      status: 'started',
      token: 'new-token',
    });
    expect(fake.posts).toEqual(['migrate apim-weu PreserveIp']);
    expect((await fake.migrations.read(MIGRATION_RECORD))?.record).toMatchObject({
      startedAt: NOW.toISOString(),
      operationToken: 'new-token',
      preMigrationBackup: PRE,
    });
  });

  it('adopts an instance already off stv1 after a POST whose answer was lost', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration({ operationToken: undefined, startedAt: '2026-05-10T11:00:00.000Z' }));
    fake.instances.set('apim-weu', instance('apim-weu', { platformVersion: 'stv2' }));
    expect(await startMigration(fake.services, { recordName: MIGRATION_RECORD, preMigrationBackup: PRE })).toMatchObject({ status: 'started' });
    expect(fake.posts).toEqual([]);
  });

  it('waits without a second POST while a fresh mark of another execution holds', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration({ operationToken: undefined, startedAt: new Date(NOW.getTime() - 5_000).toISOString() }));
    fake.instances.set('apim-weu', instance('apim-weu', { platformVersion: 'stv1' }));
    expect(await startMigration(fake.services, { recordName: MIGRATION_RECORD, preMigrationBackup: PRE })).toMatchObject({ status: 'busy' });
    expect(fake.posts).toEqual([]);
  });

  it('refuses a record that is not an in-place migration', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration({ kind: 'side-by-side', mode: undefined }));
    expect(await startMigration(fake.services, { recordName: MIGRATION_RECORD, preMigrationBackup: PRE })).toMatchObject({
      status: 'refused',
      code: 'MigrationRecordMissing',
    });
  });
});
