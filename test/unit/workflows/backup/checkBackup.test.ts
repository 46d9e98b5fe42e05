import { describe, expect, it } from 'vitest';
import { checkBackup } from '../../../../src/workflows/backup/checkBackup';
import { BACKUP_NAME, fakeServices, instance, runningManifest, SOURCE_ID } from '../../../support/fakeServices';

const input = { serviceId: SOURCE_ID, backupName: BACKUP_NAME, token: 'backup-token' };

describe('checkBackup', () => {
  it("answers what ARM says of the operation's token", async () => {
    const fake = fakeServices();
    fake.answers.set('backup-token', { status: 'failed', code: 'InvalidParameters', message: 'no access' });
    expect(await checkBackup(fake.services, input)).toEqual({ status: 'failed', code: 'InvalidParameters', message: 'no access' });
  });

  it('reads the token from the manifest when the orchestration has none (an adopted backup)', async () => {
    const fake = fakeServices();
    fake.manifests.put(runningManifest({ operationToken: 'stored-token' }));
    fake.answers.set('stored-token', { status: 'succeeded' });
    expect(await checkBackup(fake.services, { serviceId: SOURCE_ID, backupName: BACKUP_NAME })).toEqual({ status: 'succeeded' });
  });

  it('without an answer from ARM, is running while the instance is busy', async () => {
    const fake = fakeServices();
    fake.answers.set('backup-token', { status: 'unknown', code: 'OperationResultExpired', message: 'gone' });
    fake.instances.set('apim-weu', instance('apim-weu', { provisioningState: 'Updating' }));
    expect(await checkBackup(fake.services, input)).toEqual({ status: 'running' });
  });

  it('without an answer from ARM, has succeeded once the instance is idle and the blob is written', async () => {
    const fake = fakeServices();
    fake.answers.set('backup-token', { status: 'unknown', code: 'OperationResultExpired', message: 'gone' });
    fake.blobSizes.set(BACKUP_NAME, 4096);
    expect(await checkBackup(fake.services, input)).toEqual({ status: 'succeeded' });
  });

  it('fails a backup of ours that left the instance idle with no blob, saying why ARM could not tell', async () => {
    const fake = fakeServices();
    fake.answers.set('backup-token', { status: 'unknown', code: 'OperationResultExpired', message: 'the result expired' });
    expect(await checkBackup(fake.services, input)).toEqual({
      status: 'failed',
      code: 'OperationResultExpired',
      message: `the result expired; the instance is idle and '${BACKUP_NAME}' was never written`,
    });
  });

  it('calls an adopted backup with no token, no blob and an idle instance lost, so it is started again', async () => {
    const fake = fakeServices();
    fake.manifests.put(runningManifest({ operationToken: undefined }));
    expect(await checkBackup(fake.services, { serviceId: SOURCE_ID, backupName: BACKUP_NAME })).toEqual({ status: 'lost' });
  });

  it('answers unreachable while ARM does not answer: an outage says nothing about the backup', async () => {
    const fake = fakeServices();
    fake.armDown = new Error('connect ECONNREFUSED');
    expect(await checkBackup(fake.services, input)).toEqual({ status: 'unreachable', message: 'connect ECONNREFUSED' });
  });
});
