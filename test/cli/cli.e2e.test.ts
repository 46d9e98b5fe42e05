import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import { BIN, cli } from './runCli';

describe('apim-dr CLI (the compiled bin, as npx runs it)', () => {
  let sandbox: RunningSandbox;
  let configFile: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sandbox = await startSandbox({ durationMs: () => 1_500 });
    const dir = mkdtempSync(join(tmpdir(), 'apim-dr-cli-'));
    configFile = join(dir, 'apim-dr.json');
    writeFileSync(configFile, JSON.stringify(sandbox.config({ defaults: { pollInterval: 'PT1S' } }), null, 2));
    env = { ...sandbox.settings };
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('backs up an instance, waits for it and prints the backup name; list shows it', async () => {
    const backup = await cli(['backup', 'contoso-apim-dev', '--config', configFile], env);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout.trim()).toMatch(/^contoso-apim-dev\.\d{8}T\d{6}Z\.manual\.apimbackup$/);

    const list = await cli(['list', 'contoso-apim-dev', '--config', configFile, '--json'], env);
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as { backupName: string; state: string; timeLeftMs: number }[];
    expect(entries.map((e) => e.backupName)).toContain(backup.stdout.trim());
    expect(entries[0]!.state).toBe('succeeded');
    expect(entries[0]!.timeLeftMs).toBeGreaterThan(29 * 86_400_000);

    const table = await cli(['list', '--config', configFile], env);
    expect(table.stdout).toMatch(/^BACKUP\s+STATE\s+CREATED\s+EXPIRES\s+LEFT/);
    expect(table.stdout).toContain(backup.stdout.trim());
  });

  it('prints the manifest with --json, without the operation token', async () => {
    const backup = await cli(
      [
        'backup',
        '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-apim-weu/providers/Microsoft.ApiManagement/service/contoso-apim-weu',
        '--config',
        configFile,
        '--json',
      ],
      env,
    );
    expect(backup.code).toBe(0);
    const manifest = JSON.parse(backup.stdout) as Record<string, unknown>;
    expect(manifest).toMatchObject({ state: 'succeeded', trigger: 'manual', inventory: { apis: 3, products: 2, namedValues: 2 } });
    expect(manifest['service']).toMatchObject({ sku: { name: 'Premium', capacity: 2 }, location: 'West Europe' });
    expect(String(manifest['requestedBy'])).toMatch(/^cli:/);
    expect(manifest).not.toHaveProperty('operationToken');
  });

  it('exits 1 with the ARM error when the backup fails', async () => {
    sandbox.apim.failNextOperation('contoso-apim-neu', { code: 'StorageAccessDenied', message: 'denied by storage firewall' });
    const backup = await cli(['backup', 'contoso-apim-neu', '--config', configFile], env);
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('StorageAccessDenied: denied by storage firewall');
  });

  it('previews the sweep instance by instance, then renews an instance with no restorable backup', async () => {
    // contoso-apim-neu's only backup so far failed (see above): it has nothing to restore.
    const preview = await cli(['sweep', '--dry-run', '--config', configFile], env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('contoso-apim-neu: NO RESTORABLE BACKUP');
    expect(preview.stdout).toContain('would start a backup (no-restorable-backup)');
    expect(preview.stdout).toMatch(/contoso-apim-dev: newest restorable contoso-apim-dev\.\d{8}T\d{6}Z\.manual\.apimbackup, \d+s old, expires in 29d 23h/);

    const sweep = await cli(['sweep', '--config', configFile, '--json'], env);
    expect(sweep.code).toBe(0);
    const report = JSON.parse(sweep.stdout) as { renewals: { started: string[] }; applied: { deleted: string[] } };
    expect(report.renewals.started).toEqual(['contoso-apim-neu']);
    expect(report.applied.deleted).toEqual([]);
    const list = JSON.parse((await cli(['list', 'contoso-apim-neu', '--config', configFile, '--json'], env)).stdout) as { state: string; trigger: string }[];
    expect(list.map((e) => e.state)).toEqual(['succeeded', 'failed']);
  });

  it('checks a restore: exit 0 with the verdict for the standby, exit 3 when not restorable', async () => {
    const standby = await cli(['check', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--config', configFile], env);
    expect(standby.code).toBe(0);
    expect(standby.stdout).toMatch(/^Partially restorable: contoso-apim-weu\.\d{8}T\d{6}Z\.manual\.apimbackup → contoso-apim-neu/);
    expect(standby.stdout).toContain("warning  FewerUnits: 'contoso-apim-neu' has 1 unit(s), 'contoso-apim-weu' had 2");

    const dev = await cli(['check', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-dev', '--config', configFile, '--json'], env);
    expect(dev.code).toBe(3);
    const report = JSON.parse(dev.stdout) as { verdict: string; findings: { code: string }[] };
    expect(report.verdict).toBe('NotRestorable');
    expect(report.findings[0]?.code).toBe('TierMismatch');
  });

  it('shows the fleet status as a table', async () => {
    const run = await cli(['status', '--config', configFile], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ protected, \d+ at risk, \d+ unprotected/);
    expect(run.stdout).toMatch(/contoso-apim-dev\s+config\s+PROTECTED\s+\d+s old\s+in 29d 23h/);
  });

  it('restores into the standby from the CLI with no Functions app running, and refuses without --yes when no one can confirm', async () => {
    const refused = await cli(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--config', configFile], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('without --yes');
    expect(sandbox.apim.count('restore.post')).toBe(0);

    const run = await cli(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--yes', '--config', configFile, '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ state: 'succeeded', target: 'contoso-apim-neu', verification: { ok: true } });
    expect(sandbox.apim.service('contoso-apim-neu').configuration.apis).toEqual(['orders', 'payments', 'catalog']);
  });

  it('exits 1 when the backup to restore does not exist (not found, as check says), before anything starts', async () => {
    const run = await cli(
      [
        'restore',
        '--from',
        'contoso-apim-weu',
        '--to',
        'contoso-apim-neu',
        '--backup',
        'contoso-apim-weu.20200101T000000Z.manual.apimbackup',
        '--yes',
        '--config',
        configFile,
      ],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("backup 'contoso-apim-weu.20200101T000000Z.manual.apimbackup' is not in the catalog of 'contoso-apim-weu'");
  });

  it('restores an instance into itself with --in-place, then rolls that back with --rollback', async () => {
    const weu = 'contoso-apim-weu';
    sandbox.apim.service(weu).configuration.apis.push('hotfix');
    const refused = await cli(['restore', '--from', weu, '--to', weu, '--yes', '--config', configFile], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('allowInPlace: true (CLI: --in-place)');

    // In place needs a second person's approval, which the in-process CLI cannot ask for: only on break-glass.
    const alone = await cli(['restore', '--from', weu, '--to', weu, '--in-place', '--yes', '--config', configFile], env);
    expect(alone.code).toBe(3);
    expect(alone.stderr).toContain('run again with --break-glass');
    expect(sandbox.apim.service(weu).configuration.apis).toContain('hotfix');

    const restored = await cli(['restore', '--from', weu, '--to', weu, '--in-place', '--break-glass', '--yes', '--config', configFile, '--json'], env);
    expect(restored.stderr).toContain('no second approval is asked');
    const summary = JSON.parse(restored.stdout) as { state: string; recordName: string; preRestoreBackup?: string };
    // The sandbox's token is not a JWT: no identity to read, and the record says so rather than inventing one.
    expect(summary).toMatchObject({ approval: { breakGlassOperator: expect.stringContaining('unknown') } });
    expect(summary).toMatchObject({ state: 'succeeded', purpose: 'restore', preRestoreBackup: expect.stringMatching(/\.pre-restore\.apimbackup$/) });
    expect(sandbox.apim.service(weu).configuration.apis).toEqual(['orders', 'payments', 'catalog']);

    const extra = await cli(['restore', '--rollback', summary.recordName, '--to', weu, '--yes', '--config', configFile], env);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('drop --to');
    const rolledBack = await cli(['restore', '--rollback', summary.recordName, '--break-glass', '--yes', '--config', configFile, '--json'], env);
    expect(rolledBack.code).toBe(0);
    expect(JSON.parse(rolledBack.stdout)).toMatchObject({
      state: 'succeeded',
      purpose: 'rollback',
      backupName: summary.preRestoreBackup,
      target: weu,
      verification: { ok: true },
    });
    expect(sandbox.apim.service(weu).configuration.apis).toEqual(['orders', 'payments', 'catalog', 'hotfix']);

    const noPath = await cli(['restore', '--rollback', 'restores/contoso-apim-neu.20200101T000000Z.json', '--yes', '--config', configFile], env);
    expect(noPath.code).toBe(1);
    expect(noPath.stderr).toContain("there is no restore record 'restores/contoso-apim-neu.20200101T000000Z.json'");
  });

  it('checks an instance for backup readiness', async () => {
    const ready = await cli(['check', 'contoso-apim-neu', '--config', configFile], env);
    expect(ready.stdout.trim()).toBe('contoso-apim-neu: ready for backup');
    expect(ready.code).toBe(0);
  });

  it('exits 2 naming each bad field of a broken config', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'apim-dr-cli-')), 'broken.json');
    writeFileSync(broken, JSON.stringify({ storage: { account: 'x' }, services: [] }));
    const run = await cli(['list', '--config', broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('storage.account');
    expect(run.stderr).toContain('storage.container: is required');
    expect(run.stderr).toContain('services: list at least one APIM instance');
  });

  it('exits 1 for an instance that is not configured, listing the ones that are', async () => {
    const run = await cli(['backup', 'nope', '--config', configFile], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("<service> 'nope' is not a configured APIM instance; configured: contoso-apim-weu");
  });

  it('exits 2 on a usage error', async () => {
    expect((await cli(['backup'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  describe('exit codes: 0 ok, 1 failed or not found, 2 usage or config, 3 refused (README)', () => {
    let broken: string;
    beforeAll(() => {
      broken = join(mkdtempSync(join(tmpdir(), 'apim-dr-cli-')), 'broken.json');
      writeFileSync(broken, JSON.stringify({ storage: { account: 'x' }, services: [] }));
    });
    const weu = 'contoso-apim-weu';
    const MISSING_BACKUP = 'contoso-apim-weu.20200101T000000Z.manual.apimbackup';
    const cases: [string, () => string[], number][] = [
      ['status: ok', () => ['status'], 0],
      ['list: ok', () => ['list'], 0],
      ['backup: usage (no instance named)', () => ['backup'], 2],
      ['list: usage (unknown flag)', () => ['list', '--bogus'], 2],
      ['check: usage (neither an instance nor --from/--to)', () => ['check'], 2],
      ['restore: usage (no --from/--to)', () => ['restore', '--yes'], 2],
      ['sweep: usage (unknown flag)', () => ['sweep', '--bogus'], 2],
      ['host: usage (not a port)', () => ['host', '--port', 'x'], 2],
      ['an unknown command: usage', () => ['frobnicate'], 2],
      ['backup: config', () => ['backup', weu, '--config', broken], 2],
      ['list: config', () => ['list', '--config', broken], 2],
      ['check: config', () => ['check', weu, '--config', broken], 2],
      ['restore: config', () => ['restore', '--from', weu, '--to', 'contoso-apim-neu', '--yes', '--config', broken], 2],
      ['status: config', () => ['status', '--config', broken], 2],
      ['sweep: config', () => ['sweep', '--dry-run', '--config', broken], 2],
      ['host: config', () => ['host', '--port', '0', '--config', broken], 2],
      ['backup: not found (not configured)', () => ['backup', 'nope'], 1],
      ['list: not found (not configured)', () => ['list', 'nope'], 1],
      ['check: not found (not configured)', () => ['check', 'nope'], 1],
      ['restore: not found (no such record)', () => ['restore', '--rollback', 'restores/contoso-apim-neu.20200101T000000Z.json', '--yes'], 1],
      ['check: not found (no such backup)', () => ['check', '--from', weu, '--to', 'contoso-apim-neu', '--backup', MISSING_BACKUP], 1],
      ['restore: not found (no such backup), as check', () => ['restore', '--from', weu, '--to', 'contoso-apim-neu', '--backup', MISSING_BACKUP, '--yes'], 1],
      ['check: refused (not restorable)', () => ['check', '--from', weu, '--to', 'contoso-apim-dev'], 3],
      ['restore: refused (not a standby)', () => ['restore', '--from', weu, '--to', 'contoso-apim-dev', '--yes'], 3],
      ['restore: refused (in place without consent)', () => ['restore', '--from', weu, '--to', weu, '--yes'], 3],
    ];
    it.each(cases)('%s', async (_name, args, expected) => {
      const argv = args();
      const run = await cli(argv.includes('--config') ? argv : [...argv, '--config', configFile], env);
      expect(run.code, run.stderr).toBe(expected);
      // Every failure says why, on stderr or (for a dry run's verdict) in the report.
      if (expected !== 0) expect((run.stderr + run.stdout).trim()).not.toBe('');
    });

    it('restore: conflict (the restore to roll back is still running)', async () => {
      const recordName = 'restores/contoso-apim-neu.20260101T000000Z.json';
      const record = {
        schemaVersion: 1,
        recordName,
        source: weu,
        target: 'contoso-apim-neu',
        targetId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-apim-neu',
        requestedBy: 'test',
        correlationId: 'c',
        owner: 'o',
        requestedAt: '2026-01-01T00:00:00Z',
        state: 'running',
        findings: [],
      };
      const body = JSON.stringify(record);
      await sandbox.stateContainer().getBlockBlobClient(recordName).upload(body, Buffer.byteLength(body));
      const run = await cli(['restore', '--rollback', recordName, '--yes', '--config', configFile], env);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('is still running; roll it back once it has finished');
    });

    it('restore and check: conflict (another operation holds the target), exit 1 as HTTP answers 409', async () => {
      const neu = sandbox.apim.service('contoso-apim-neu');
      neu.provisioningState = 'Updating';
      try {
        const restore = await cli(['restore', '--from', weu, '--to', 'contoso-apim-neu', '--yes', '--config', configFile], env);
        expect(restore.code, restore.stderr).toBe(1);
        expect(restore.stderr).toContain("'contoso-apim-neu' is 'Updating': another operation is running on it: wait for that operation to finish");
        const check = await cli(['check', '--from', weu, '--to', 'contoso-apim-neu', '--config', configFile], env);
        expect(check.code, check.stderr).toBe(1);
        expect(check.stdout).toContain('TargetBusy');
      } finally {
        neu.provisioningState = 'Succeeded';
      }
    });

    it('check <service>: refused (not ready for backup)', async () => {
      const dev = sandbox.apim.service('contoso-apim-dev');
      const sku = dev.spec.sku;
      dev.spec.sku = { name: 'Consumption', capacity: 0 };
      try {
        const run = await cli(['check', 'contoso-apim-dev', '--config', configFile], env);
        expect(run.code, run.stdout).toBe(3);
        expect(run.stdout).toContain('NOT ready for backup');
      } finally {
        dev.spec.sku = sku;
      }
    });
  });

  it('runs the local host on a config and serves the backup API', async () => {
    const child = spawn(process.execPath, [BIN, 'host', '--config', configFile, '--port', '0'], { env: { PATH: process.env['PATH'], ...env } });
    try {
      const origin = await new Promise<string>((resolveOrigin, reject) => {
        let seen = '';
        child.stdout.on('data', (d: Buffer) => {
          seen += d.toString();
          const m = /local host on (http:\/\/[\d.:]+)/.exec(seen);
          if (m) resolveOrigin(m[1]!);
        });
        child.on('close', () => reject(new Error(`host exited: ${seen}`)));
      });
      const posted = (await (
        await fetch(`${origin}/api/backups`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ service: 'contoso-apim-dev' }),
        })
      ).json()) as {
        statusQueryGetUri: string;
      };
      let status: { runtimeStatus: string; output?: { state: string } } = { runtimeStatus: 'Pending' };
      for (let i = 0; i < 100 && ['Pending', 'Running'].includes(status.runtimeStatus); i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = (await (await fetch(posted.statusQueryGetUri)).json()) as typeof status;
      }
      expect(status.runtimeStatus).toBe('Completed');
      expect(status.output?.state).toBe('succeeded');
    } finally {
      child.kill('SIGINT');
    }
  });

  it('starts the sandbox demo when given no config (npm start)', async () => {
    // Its CLI settings go to a folder of the test's own, not the project's (where a developer's demo may run).
    const demoFile = join(mkdtempSync(join(tmpdir(), 'apim-dr-cli-')), 'demo.json');
    const child = spawn(process.execPath, [BIN, 'host', '--port', '0'], { env: { PATH: process.env['PATH'], APIM_DR_DEMO_FILE: demoFile } });
    try {
      const output = await new Promise<string>((resolveOutput, reject) => {
        let seen = '';
        child.stdout.on('data', (d: Buffer) => {
          seen += d.toString();
          if ((seen.match(/apim-dr\.backup\.started/g) ?? []).length === 3 && /apim-dr\.snapshot\.taken\s+service=contoso-apim-v2-weu/.test(seen))
            resolveOutput(seen);
        });
        child.on('close', () => reject(new Error(`host exited: ${seen}`)));
      });
      expect(output).toContain('sandbox: no Azure account needed');
      expect(output).toMatch(/apim-dr\.schedule\.tick\s+due=3 started=3/);
      // The Standard v2 instance is protected by snapshots, not backups.
      expect(output).not.toMatch(/apim-dr\.backup\.started\s+service=contoso-apim-v2/);
    } finally {
      child.kill('SIGINT');
    }
  });
});
