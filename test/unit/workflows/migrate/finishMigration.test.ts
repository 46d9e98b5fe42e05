import { describe, expect, it } from 'vitest';
import { finishMigration } from '../../../../src/workflows/migrate/finishMigration';
import type { MigrationVerification } from '../../../../src/workflows/migrate/types';
import { fakeServices, MIGRATION_RECORD, runningMigration } from '../../../support/fakeServices';

const PRE = { backupName: 'apim-weu.20260510T113000Z.pre-migration.apimbackup', expiresAt: '2026-06-09T11:30:00.000Z', durationMs: 240_000 };

function verification(over: Partial<MigrationVerification> = {}): MigrationVerification {
  return {
    ok: true,
    provisioningState: 'Succeeded',
    platforms: { 'West Europe': 'stv2' },
    expected: { apis: 3 },
    actual: { apis: 3 },
    ipsAfter: { 'West Europe': ['20.0.0.9'] },
    ...over,
  };
}

describe('finishMigration', () => {
  it('settles a verified migration with its durations, its way back and the new IPs', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration());
    const summary = await finishMigration(fake.services, {
      recordName: MIGRATION_RECORD,
      outcome: { status: 'succeeded' },
      preMigrationBackup: PRE,
      verification: verification(),
    });
    expect(summary).toMatchObject({
      state: 'succeeded',
      durations: { preMigrationBackupMs: 240_000, migrationMs: 25 * 60_000, totalMs: 30 * 60_000 },
      preMigrationBackup: { backupName: PRE.backupName, expiresAt: PRE.expiresAt },
      ipsAfter: { 'West Europe': ['20.0.0.9'] },
    });
    expect(fake.events.map((e) => e.name)).toEqual(['apim-dr.migration.succeeded']);
  });

  it('fails a migration ARM called a success when the instance does not verify', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration());
    const summary = await finishMigration(fake.services, {
      recordName: MIGRATION_RECORD,
      outcome: { status: 'succeeded' },
      verification: verification({ ok: false, actual: { apis: 1 } }),
    });
    expect(summary).toMatchObject({ state: 'failed', error: { code: 'VerificationFailed' } });
  });

  it('says so when ARM reverted a failed migration to stv1', async () => {
    const fake = fakeServices();
    fake.migrations.put(runningMigration());
    const summary = await finishMigration(fake.services, {
      recordName: MIGRATION_RECORD,
      outcome: { status: 'failed', code: 'MigrationFailed', message: 'the migration failed' },
      verification: verification({ ok: false, platforms: { 'West Europe': 'stv1' } }),
    });
    expect(summary.error).toEqual({
      code: 'MigrationFailed',
      message: "the migration failed ARM reverted 'apim-weu' to stv1; its backups and schedule go on as before.",
    });
  });

  it('refuses to settle a migration whose record is gone', async () => {
    const fake = fakeServices();
    await expect(finishMigration(fake.services, { recordName: MIGRATION_RECORD, outcome: { status: 'succeeded' } })).rejects.toThrow(
      `migration record '${MIGRATION_RECORD}' vanished before the migration finished`,
    );
  });
});
