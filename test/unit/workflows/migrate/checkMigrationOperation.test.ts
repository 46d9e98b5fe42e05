import { describe, expect, it } from 'vitest';
import { checkMigrationOperation } from '../../../../src/workflows/migrate/checkMigrationOperation';
import { fakeServices, instance, MIGRATION_RECORD, runningMigration } from '../../../support/fakeServices';

describe('checkMigrationOperation', () => {
  it("answers what ARM says of the migration's token", async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration());
    fake.answers.set('migration-token', { status: 'succeeded' });
    expect(await checkMigrationOperation(fake.services, { recordName: MIGRATION_RECORD })).toEqual({ status: 'succeeded' });
  });

  it('without an answer from ARM, has succeeded once the idle instance is off stv1 (stv2.1 counts)', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration({ operationToken: undefined }));
    fake.instances.set('apim-weu', instance('apim-weu', { platformVersion: 'stv2.1' }));
    expect(await checkMigrationOperation(fake.services, { recordName: MIGRATION_RECORD })).toEqual({ status: 'succeeded' });
  });

  it('without an answer from ARM, fails when the idle instance is still on stv1', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration({ operationToken: undefined }));
    fake.instances.set('apim-weu', instance('apim-weu', { platformVersion: 'stv1' }));
    expect(await checkMigrationOperation(fake.services, { recordName: MIGRATION_RECORD })).toMatchObject({
      status: 'failed',
      code: 'NotMigrated',
      message: expect.stringContaining("'apim-weu' has ended and the instance is still on stv1"),
    });
  });
});
