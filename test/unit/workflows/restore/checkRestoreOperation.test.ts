import { describe, expect, it } from 'vitest';
import { checkRestoreOperation } from '../../../../src/workflows/restore/checkRestoreOperation';
import { fakeServices, instance, RESTORE_RECORD, runningRestore } from '../../../support/fakeServices';

describe('checkRestoreOperation', () => {
  it("answers what ARM says of the token kept in the restore's record", async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore());
    fake.answers.set('restore-token', { status: 'running', retryAfterMs: 60_000 });
    expect(await checkRestoreOperation(fake.services, { recordName: RESTORE_RECORD })).toEqual({ status: 'running', retryAfterMs: 60_000 });
  });

  it('without an answer from ARM, is running while the target is busy, and done once it is idle (verification judges it)', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore({ operationToken: undefined }));
    fake.instances.set('apim-neu', instance('apim-neu', { provisioningState: 'Updating' }));
    expect(await checkRestoreOperation(fake.services, { recordName: RESTORE_RECORD })).toEqual({ status: 'running' });
    fake.instances.set('apim-neu', instance('apim-neu'));
    expect(await checkRestoreOperation(fake.services, { recordName: RESTORE_RECORD })).toEqual({ status: 'succeeded' });
  });

  it('answers unreachable when the record cannot be read, rather than failing the restore', async () => {
    const fake = fakeServices();
    expect(await checkRestoreOperation(fake.services, { recordName: RESTORE_RECORD })).toEqual({
      status: 'unreachable',
      message: `restore record '${RESTORE_RECORD}' vanished while the restore ran`,
    });
  });
});
