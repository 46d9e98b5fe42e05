/** `apim-dr migrate` as an operator runs it (the compiled bin, in process, no Functions app): exit codes 0, 1, 2 and 3. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION, startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import { cli } from './runCli';

const DEV = 'contoso-apim-dev';
const DEV2 = 'contoso-apim-dev2';

describe('apim-dr migrate (the compiled bin)', () => {
  let sandbox: RunningSandbox;
  let configFile: string;
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) => cli([...args, '--config', configFile], env);

  beforeAll(async () => {
    const dev2 = {
      subscriptionId: SANDBOX_SUBSCRIPTION,
      resourceGroup: 'rg-apim-dev2',
      name: DEV2,
      location: 'West Europe',
      sku: { name: 'Developer', capacity: 1 },
    };
    sandbox = await startSandbox({ durationMs: () => 1_500, services: [...SAMPLE_SERVICES, dev2] });
    const services = SAMPLE_SERVICES.map((s) => ({
      id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name),
      ...(s.name === DEV ? { standbys: [{ id: canonicalServiceId(SANDBOX_SUBSCRIPTION, 'rg-apim-dev2', DEV2), sync: 'manual' }] } : {}),
    }));
    configFile = join(mkdtempSync(join(tmpdir(), 'apim-dr-migrate-')), 'apim-dr.json');
    writeFileSync(configFile, JSON.stringify(sandbox.config({ services, defaults: { pollInterval: 'PT1S' } }), null, 2));
    env = { ...sandbox.settings };
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('dry run: exit 0 with the verdict and every finding for an stv1 instance, exit 3 for one already on stv2', async () => {
    const dev = await run('migrate', DEV, '--mode', 'new-ip', '--dry-run');
    expect(dev.code).toBe(0);
    expect(dev.stdout).toContain(`PartiallyMigratable: ${DEV} (NewIP), platform stv1`);
    expect(dev.stdout).toMatch(/warning\s+NewIpChangesAddresses/);
    expect(dev.stdout).toMatch(/way back .* possible until 20\d\d-/);
    const weu = await run('migrate', 'contoso-apim-weu', '--dry-run', '--json');
    expect(weu.code).toBe(3);
    const report = JSON.parse(weu.stdout) as { verdict: string; findings: { code: string }[] };
    expect(report.verdict).toBe('NotMigratable');
    expect(report.findings[0]!.code).toBe('AlreadyOnStv2');
    expect(sandbox.apim.count('migratetostv2.post')).toBe(0);
  });

  it('exit 2 for a bad mode or a missing --yes without a terminal, before any migrate call', async () => {
    const mode = await run('migrate', DEV, '--mode', 'fast');
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain("--mode must be 'preserve-ip'");
    const noYes = await run('migrate', DEV);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('without --yes');
    expect(sandbox.apim.count('migratetostv2.post')).toBe(0);
  });

  it('side by side into the stv2 standby: exit 0 and the cut-over checklist; the source stays on stv1', async () => {
    const sideBySide = await run('migrate', DEV, '--side-by-side', '--to', DEV2, '--yes');
    expect(sideBySide.stderr).toBe('');
    expect(sideBySide.code).toBe(0);
    expect(sideBySide.stdout).toContain(`into ${DEV2}`);
    expect(sideBySide.stdout).toContain('cut-over checklist:');
    expect(sandbox.apim.service(DEV).platformVersion).toBe('stv1');
  });

  it('in place: exit 0 with the way back printed; the way back restores into the standby; a second migration exits 3', async () => {
    const alone = await run('migrate', DEV, '--yes');
    expect(alone.code).toBe(3);
    expect(alone.stderr).toContain('cannot be undone, so a second person holding DR.Restore must approve it');
    expect(sandbox.apim.count('migratetostv2.post')).toBe(0);

    const migrated = await run('migrate', DEV, '--break-glass', '--yes', '--json');
    expect(migrated.stderr).toContain('no second approval is asked');
    expect(migrated.code).toBe(0);
    const summary = JSON.parse(migrated.stdout) as { recordName: string; state: string; preMigrationBackup: { backupName: string } };
    expect(summary).toMatchObject({ state: 'succeeded', verification: { platforms: { 'West Europe': 'stv2' } } });
    expect(sandbox.apim.service(DEV).platformVersion).toBe('stv2');

    sandbox.apim.service(DEV2).configuration.apis = ['changed'];
    const back = await run('migrate', '--rollback', summary.recordName, '--to', DEV2, '--yes', '--json');
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ state: 'succeeded', backupName: summary.preMigrationBackup.backupName, target: DEV2 });
    expect(sandbox.apim.service(DEV2).configuration).toEqual(sandbox.apim.service(DEV).configuration);

    const again = await run('migrate', DEV, '--break-glass', '--yes');
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('AlreadyOnStv2');
    expect(sandbox.apim.count('migratetostv2.post')).toBe(1);
  });

  it('exit 1 when the migration fails at ARM, naming its code', async () => {
    sandbox.apim.service(DEV).platformVersion = 'stv1';
    // The next operation on the instance is the pre-migration backup; the one after it, the migration.
    sandbox.apim.failNextOperation(DEV, { code: 'BackupFailed', message: 'storage unreachable' });
    const failed = await run('migrate', DEV, '--break-glass', '--yes');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('PreMigrationBackupFailed');
    expect(sandbox.apim.service(DEV).platformVersion).toBe('stv1');
  });
});
