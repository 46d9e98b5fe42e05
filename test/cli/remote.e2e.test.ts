/**
 * Remote mode against the local host with authentication on: App Service authentication in front validates the
 * CLI's Entra ID token, the app's routes check the roles, and the records name the signed-in operator.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { parseConfig } from '../../src/config/loadConfig';
import { HTTP_AUTH_SETTING, PLATFORM_AUTH_SETTING } from '../../src/http/caller';
import { LocalHost } from '../../dev/localHost/LocalHost';
import { startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import type { FleetStatus } from '../../src/workflows/status/fleetStatus';
import { createServices, type Services } from '../../src/services';
import { createLogger } from '../../src/telemetry/logger';
import { startAppServiceAuth, TestEntraId, type RunningAuthFront, type TestUser } from '../support/appServiceAuth';

const AUDIENCE = 'api://apim-dr-test';
const OPERATOR: TestUser = { upn: 'oncall@contoso.example', objectId: '33333333-0000-0000-0000-000000000001', roles: ['DR.Restore'] };
const READER: TestUser = { upn: 'auditor@contoso.example', objectId: '33333333-0000-0000-0000-000000000002', roles: ['DR.Reader'] };

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe('apim-dr remote mode (--app), against the local host with Entra ID authentication on', () => {
  let sandbox: RunningSandbox;
  let services: Services;
  let host: LocalHost;
  let front: RunningAuthFront;
  let configFile: string;
  const entra = new TestEntraId();

  // The rollback here is in place on a protected standby: the two-person rule has its own tests (test/cli/approve.e2e.test.ts).
  const demoConfig = () => ({ ...sandbox.config({ defaults: { pollInterval: 'PT1S' } }), approvals: { inPlace: false } });

  beforeAll(async () => {
    sandbox = await startSandbox({ durationMs: () => 1_200 });
    const settings = { ...sandbox.settings, [HTTP_AUTH_SETTING]: 'entra-id', [PLATFORM_AUTH_SETTING]: 'true' };
    services = createServices(parseConfig(demoConfig()), {
      settings,
      logger: createLogger(() => undefined, { app: 'apim-dr' }),
      extraCa: sandbox.caPem,
    });
    host = await LocalHost.start({ services, port: 0, timers: false });
    front = await startAppServiceAuth(entra, AUDIENCE, host.origin);
    configFile = join(mkdtempSync(join(tmpdir(), 'apim-dr-remote-')), 'apim-dr.json');
    writeFileSync(configFile, JSON.stringify(demoConfig()));
  });
  afterAll(async () => {
    await front.close();
    await host.stop();
    await sandbox.close();
  });

  /** Runs the CLI in this process (so that it can be handed the test's Entra ID), with nothing else configured. */
  async function cli(args: string[], user: TestUser = OPERATOR, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    try {
      const code = await main(
        ['node', 'apim-dr', ...args],
        { APIM_DR_DEMO_FILE: '/nonexistent/demo.json', ...env },
        { credential: () => entra.credential(user) },
      );
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('asks the app for the status with a token for its audience, and says it went through the app', async () => {
    const before = entra.scopes.length;
    const run = await cli(['status', '--app', front.origin, '--audience', AUDIENCE, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(entra.scopes.slice(before)).toEqual([`${AUDIENCE}/.default`]);
    expect(run.stderr).toContain(`via the app at ${front.origin}`);
    const status = JSON.parse(run.stdout) as { instances: { service: string }[] };
    expect(status.instances.map((i) => i.service)).toEqual(['contoso-apim-weu', 'contoso-apim-neu', 'contoso-apim-dev']);
  });

  it('takes the app and its audience from app settings too', async () => {
    const run = await cli(['list'], OPERATOR, { APIM_DR_APP_URL: front.origin, APIM_DR_APP_AUDIENCE: AUDIENCE });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^(no backups yet|BACKUP\s+STATE)/);
  });

  it('without an audience sends no token, and the 401 names --audience', async () => {
    const run = await cli(['status', '--app', front.origin]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--audience');
  });

  it('backs up through the app, follows it to the end, and the manifest names the signed-in operator', async () => {
    const run = await cli(['backup', 'contoso-apim-dev', '--app', front.origin, '--audience', AUDIENCE]);
    expect(run.code, run.stderr).toBe(0);
    const backupName = run.stdout.trim();
    expect(backupName).toMatch(/^contoso-apim-dev\.\d{8}T\d{6}Z\.manual\.apimbackup$/);
    const manifest = (await services.catalog.read(backupName))?.manifest;
    expect(manifest?.requestedBy).toBe(`${OPERATOR.upn} (${OPERATOR.objectId})`);
  });

  it('with --no-wait returns once the app has accepted, naming the operation', async () => {
    const run = await cli(['backup', 'contoso-apim-weu', '--app', front.origin, '--audience', AUDIENCE, '--no-wait', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const accepted = JSON.parse(run.stdout) as { id: string; statusQueryGetUri: string };
    expect(accepted.id).toMatch(/^backup-contoso-apim-weu-[0-9a-f]{8}$/);
    // It really runs: the app finishes it without the CLI.
    await expect
      .poll(async () => (await services.catalog.list('contoso-apim-weu')).find((e) => e.trigger === 'manual')?.state, { timeout: 20_000 })
      .toBe('succeeded');
  });

  it('a reader may not back up: 403 from the app, exit 1, naming the role', async () => {
    const run = await cli(['backup', 'contoso-apim-dev', '--app', front.origin, '--audience', AUDIENCE], READER);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DR.Operator');
  });

  it('a refused restore is exit 3 through the app as in process', async () => {
    const run = await cli(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-dev', '--yes', '--app', front.origin, '--audience', AUDIENCE]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('is not a configured standby');
  });

  it('restores into the standby and rolls it back through the app, recording the operator', async () => {
    const restore = await cli([
      'restore',
      '--from',
      'contoso-apim-weu',
      '--to',
      'contoso-apim-neu',
      '--yes',
      '--json',
      '--app',
      front.origin,
      '--audience',
      AUDIENCE,
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    const summary = JSON.parse(restore.stdout) as { state: string; recordName: string; preRestoreBackup?: string };
    expect(summary.state).toBe('succeeded');
    expect(summary.preRestoreBackup).toMatch(/^contoso-apim-neu\..*\.pre-restore\.apimbackup$/);
    const record = (await services.restores.read(summary.recordName))?.record;
    expect(record?.requestedBy).toBe(`${OPERATOR.upn} (${OPERATOR.objectId})`);

    const rollback = await cli(['restore', '--rollback', summary.recordName, '--yes', '--json', '--app', front.origin, '--audience', AUDIENCE]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({ state: 'succeeded', backupName: summary.preRestoreBackup });

    // The truth after the rollback, the same in the CLI, over HTTP and on the dashboard: diverged, holding its own old backup.
    const standby = async () => {
      const status = await cli(['status', '--json', '--app', front.origin, '--audience', AUDIENCE]);
      const weu = (JSON.parse(status.stdout) as FleetStatus).instances.find((i) => i.service === 'contoso-apim-weu')!;
      return weu.standbys.find((b) => b.service === 'contoso-apim-neu')!;
    };
    const diverged = await standby();
    expect(diverged).toMatchObject({ state: 'diverged', holds: { backupName: summary.preRestoreBackup, source: 'contoso-apim-neu', purpose: 'rollback' } });
    expect(diverged.holds?.since).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const table = await cli(['status', '--app', front.origin, '--audience', AUDIENCE]);
    expect(table.stdout).toContain(`contoso-apim-neu DIVERGED: holds ${summary.preRestoreBackup} (rollback from contoso-apim-neu since `);
    const token = (await entra.credential(READER).getToken(`${AUDIENCE}/.default`))!.token;
    const page = await (await fetch(`${front.origin}/api/dashboard`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(page).toMatch(/<li data-standby="contoso-apim-neu" class="sync-diverged">[^]*?holds [^<]*pre-restore\.apimbackup \(rollback from contoso-apim-neu/);

    // Found afterwards: newest first, who and what, and the exact command that undoes the restore; the same in process.
    const listed = await cli(['restores', 'contoso-apim-neu', '--json', '--app', front.origin, '--audience', AUDIENCE]);
    expect(listed.code, listed.stderr).toBe(0);
    const records = JSON.parse(listed.stdout) as { recordName: string; purpose: string; state: string; requestedBy: string; rollback?: string }[];
    expect(records.map((r) => [r.recordName === summary.recordName, r.purpose, r.state])).toEqual([
      [false, 'rollback', 'succeeded'],
      [true, 'restore', 'succeeded'],
    ]);
    expect(records[1]!.rollback).toBe(`apim-dr restore --rollback ${summary.recordName} --yes`);
    expect(records[1]!.requestedBy).toBe(`${OPERATOR.upn} (${OPERATOR.objectId})`);
    const local = await cli(['restores', '--break-glass', '--config', configFile, '--json'], OPERATOR, sandbox.settings);
    expect(local.code, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout)).toEqual(records);
    const listing = await cli(['restores', '--app', front.origin, '--audience', AUDIENCE]);
    expect(listing.stdout).toMatch(/^RECORD\s+WHAT\s+TARGET\s+FROM\s+BACKUP\s+WHO\s+WHEN\s+VERDICT\s+RTO/);
    expect(listing.stdout).toContain(`${summary.recordName}: apim-dr restore --rollback ${summary.recordName} --yes`);

    // One record-name format, with or without its folder and '.json'.
    const bare = summary.recordName.replace(/^restores\//, '').replace(/\.json$/, '');
    for (const name of [summary.recordName, bare]) {
      const described = await cli(['describe', name, '--json', '--app', front.origin, '--audience', AUDIENCE]);
      expect(described.code, described.stderr).toBe(0);
      expect(JSON.parse(described.stdout)).toMatchObject({
        kind: 'restore',
        name: summary.recordName,
        record: { target: 'contoso-apim-neu', state: 'succeeded' },
      });
    }

    // A restore from the primary brings it back.
    const again = await cli(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--yes', '--app', front.origin, '--audience', AUDIENCE]);
    expect(again.code, again.stderr).toBe(0);
    expect(await standby()).toMatchObject({ state: 'in-sync', lagMs: 0 });
  });

  it('describes a backup whole: its inventory, and what no backup carries; names it does not know are usage or not-found', async () => {
    const backupName = (await services.catalog.list('contoso-apim-dev')).find((e) => e.state === 'succeeded')!.backupName;
    const run = await cli(['describe', backupName, '--output', 'yaml', '--app', front.origin, '--audience', AUDIENCE]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('kind: backup');
    expect(run.stdout).toMatch(/inventory:\n\s+apis: 1/);
    expect(run.stdout).toContain('- custom CA certificates');
    expect(run.stdout).not.toContain('operationToken');
    const bad = await cli(['describe', 'not-a-name', '--app', front.origin, '--audience', AUDIENCE]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("names neither a backup nor a record: give a backup ('contoso-apim-weu.");
    const missing = await cli(['describe', 'restores/contoso-apim-neu.20200101T000000Z.json', '--app', front.origin, '--audience', AUDIENCE]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("'apim-dr restores' lists them");
  });

  it('when the app does not answer, says so and offers --break-glass; it never runs in process by itself', async () => {
    const closed = await freePort();
    const run = await cli(['status', '--app', `http://127.0.0.1:${closed}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not answer');
    expect(run.stderr).toContain('--break-glass');
  });

  it('refuses to send a token over plain HTTP to anything but loopback', async () => {
    const run = await cli(['status', '--app', 'http://apim-dr.example.com', '--audience', AUDIENCE]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('HTTPS');
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
