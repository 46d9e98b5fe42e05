import { describe, expect, it } from 'vitest';
import { startRestore } from '../../../../src/workflows/restore/startRestore';
import { fakeServices, instance, NOW, RESTORE_RECORD, runningRestore } from '../../../support/fakeServices';

const notStarted = { operationToken: undefined, startedAt: undefined };

describe('startRestore', () => {
  it('sends the POST once, and keeps its token and the rollback path in the record', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore(notStarted));
    const started = await startRestore(fake.services, { recordName: RESTORE_RECORD, preRestoreBackup: 'apim-neu.20260510T112000Z.pre-restore.apimbackup' });
    expect(started).toMatchObject({ status: 'started', token: 'new-token', retryAfterMs: 30_000 });
    expect(fake.posts).toEqual(['restore apim-neu']);
    expect((await fake.restores.read(RESTORE_RECORD))?.record).toMatchObject({
      startedAt: NOW.toISOString(),
      operationToken: 'new-token',
      preRestoreBackup: 'apim-neu.20260510T112000Z.pre-restore.apimbackup',
    });
  });

  it('run again after its POST was recorded, sends nothing and answers with the recorded token', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore());
    expect(await startRestore(fake.services, { recordName: RESTORE_RECORD })).toMatchObject({ status: 'started', token: 'restore-token' });
    expect(fake.posts).toEqual([]);
  });

  it('adopts a busy target after a POST whose answer was lost, never sending a second', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore({ operationToken: undefined, startedAt: '2026-05-10T11:00:00.000Z' }));
    fake.instances.set('apim-neu', instance('apim-neu', { provisioningState: 'Updating' }));
    expect(await startRestore(fake.services, { recordName: RESTORE_RECORD })).toMatchObject({ status: 'started' });
    expect(fake.posts).toEqual([]);
  });

  it('on a 409, clears its mark and waits: the operation running there is not ours', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore(notStarted));
    fake.startAnswer = { status: 'busy', message: 'another operation is in progress' };
    expect(await startRestore(fake.services, { recordName: RESTORE_RECORD })).toEqual({
      status: 'busy',
      message: 'another operation is in progress',
      retryAfterMs: 60_000,
    });
    expect((await fake.restores.read(RESTORE_RECORD))?.record.startedAt).toBeUndefined();
  });

  it('keeps its mark when the answer to its POST was lost, so the next attempt adopts rather than resends', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore(notStarted));
    fake.startAnswer = { status: 'unanswered', message: 'socket hang up' };
    expect(await startRestore(fake.services, { recordName: RESTORE_RECORD })).toEqual({ status: 'busy', message: 'socket hang up', retryAfterMs: 15_000 });
    expect((await fake.restores.read(RESTORE_RECORD))?.record).toMatchObject({ startedAt: NOW.toISOString(), operationToken: undefined });
  });

  it('refuses when ARM rejects the POST itself, and for a record that names no backup', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore(notStarted));
    fake.startAnswer = { status: 'rejected', code: 'InvalidParameters', message: 'bad container' };
    expect(await startRestore(fake.services, { recordName: RESTORE_RECORD })).toEqual({
      status: 'refused',
      code: 'InvalidParameters',
      message: 'bad container',
    });
    expect(await startRestore(fake.services, { recordName: 'restores/none.json' })).toMatchObject({ status: 'refused', code: 'RestoreRecordMissing' });
  });
});
