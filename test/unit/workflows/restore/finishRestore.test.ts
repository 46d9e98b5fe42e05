import { describe, expect, it } from 'vitest';
import { finishRestore } from '../../../../src/workflows/restore/finishRestore';
import { BACKUP_NAME, fakeServices, instance, RESTORE_RECORD, runningManifest, runningRestore } from '../../../support/fakeServices';

function restored(inventory = { apis: 3, products: 2, namedValues: 1 }) {
  const fake = fakeServices();
  fake.restores.put(runningRestore());
  fake.manifests.put(runningManifest({ state: 'succeeded' }));
  fake.inventories.set('apim-neu', inventory);
  return fake;
}

describe('finishRestore', () => {
  it('settles a restore whose target holds what the backup held, with the RTO from the request', async () => {
    const fake = restored();
    const summary = await finishRestore(fake.services, { recordName: RESTORE_RECORD, outcome: { status: 'succeeded' } });
    expect(summary).toMatchObject({ state: 'succeeded', rtoMs: 30 * 60_000, backupName: BACKUP_NAME, verification: { ok: true } });
    expect(fake.events.map((e) => e.name)).toEqual(['apim-dr.restore.succeeded']);
    expect(fake.finished).toEqual([{ kind: 'restore', state: 'succeeded' }]);
  });

  it('fails a restore whose target does not hold what the backup held, naming both', async () => {
    const fake = restored({ apis: 1, products: 2, namedValues: 1 });
    const summary = await finishRestore(fake.services, { recordName: RESTORE_RECORD, outcome: { status: 'succeeded' } });
    expect(summary.state).toBe('failed');
    expect(summary.error).toEqual({
      code: 'VerificationFailed',
      message:
        "the restored 'apim-neu' does not match the backup: expected 3 APIs, 2 products, 1 named values, found 1 APIs, 2 products, 1 named values (Succeeded)",
    });
  });

  it('fails a restore whose target is not healthy after it', async () => {
    const fake = restored();
    fake.instances.set('apim-neu', instance('apim-neu', { provisioningState: 'Failed' }));
    expect(await finishRestore(fake.services, { recordName: RESTORE_RECORD, outcome: { status: 'succeeded' } })).toMatchObject({
      state: 'failed',
      error: { code: 'VerificationFailed' },
    });
  });

  it('records the failure ARM reported, without verifying', async () => {
    const fake = restored();
    fake.armDown = new Error('ARM would not be asked');
    const outcome = { status: 'failed' as const, code: 'TargetBusy', message: 'the target stayed busy' };
    expect(await finishRestore(fake.services, { recordName: RESTORE_RECORD, outcome })).toMatchObject({ state: 'failed', error: { code: 'TargetBusy' } });
  });

  it('run again on a settled record, returns it as it stands and writes nothing', async () => {
    const fake = fakeServices();
    fake.restores.put(runningRestore({ state: 'succeeded', rtoMs: 1_000 }));
    expect(await finishRestore(fake.services, { recordName: RESTORE_RECORD, outcome: { status: 'failed', code: 'X', message: 'late' } })).toMatchObject({
      state: 'succeeded',
      rtoMs: 1_000,
    });
    expect(fake.restores.writes).toBe(0);
    expect(fake.events).toEqual([]);
  });
});
