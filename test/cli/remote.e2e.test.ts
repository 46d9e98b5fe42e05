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
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main';
import { remoteRestore } from '../../src/cli/commands/restore';
import { createOutput } from '../../src/cli/output';
import { AppClient } from '../../src/cli/remote/appClient';
import { parseConfig } from '../../src/config/loadConfig';
import { HTTP_AUTH_SETTING, PLATFORM_AUTH_SETTING } from '../../src/http/caller';
import { LocalHost } from '../../dev/localHost/LocalHost';
import { startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import type { FleetStatus } from '../../src/workflows/status/fleetStatus';
import type { OperationLog } from '../../src/workflows/records/operationLog';
import { targetLockId } from '../../src/domain/instanceIds';
import { createServices, type Services } from '../../src/services';
import { parseServiceId } from '../../src/domain/resourceId';
import { checkSnapshotApply, type ApplyCheck } from '../../src/workflows/snapshot/applySnapshot';
import { snapshotOf } from '../../src/workflows/snapshot/takeSnapshot';
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

  /** The CLI through the app, with a token for its audience. */
  const viaApp = (args: string[], user: TestUser = OPERATOR) => cli([...args, '--app', front.origin, '--audience', AUDIENCE], user);

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

  it("logs: an operation's events wherever it ran, through the app to a reader and in process, by operation ID or record name", async () => {
    // A backup run by the CLI in process (break-glass) leaves its events where the app reads them.
    const local = await cli(['backup', 'contoso-apim-dev', '--break-glass', '--config', configFile], OPERATOR, sandbox.settings);
    expect(local.code, local.stderr).toBe(0);
    const backupName = local.stdout.trim();
    const read = await viaApp(['logs', backupName, '--json'], READER);
    expect(read.code, read.stderr).toBe(0);
    const backupLog = JSON.parse(read.stdout) as OperationLog;
    expect(backupLog).toMatchObject({ kind: 'backup', operation: backupName, state: 'succeeded' });
    expect(backupLog.events.map((e) => e.event)).toEqual(['apim-dr.backup.started', 'apim-dr.backup.succeeded']);
    expect(backupLog.events[0]).toMatchObject({ service: 'contoso-apim-dev', backupName, correlationId: backupLog.correlationId });

    // A restore the app ran: by its record, with or without the folder, and by its operation ID (its newest run).
    const restore = await viaApp(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--yes', '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    const { recordName } = JSON.parse(restore.stdout) as { recordName: string };
    const events = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
      const run = await cli(['logs', ...args, '--json'], READER, env);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as OperationLog;
    };
    const remote = (name: string) => events([name, '--app', front.origin, '--audience', AUDIENCE]);
    // The app writes an event as it logs it: the last one may land just after the operation ends.
    await expect.poll(async () => (await remote(recordName)).events.map((e) => e.event).at(-1), { timeout: 10_000 }).toBe('apim-dr.restore.succeeded');
    const restoreLog = await remote(recordName);
    expect(restoreLog).toMatchObject({ kind: 'restore', operation: recordName, state: 'succeeded' });
    const names = restoreLog.events.map((e) => e.event);
    expect(names[0]).toBe('apim-dr.restore.accepted');
    // The pre-restore backup of the target runs under the restore's correlation ID: its events are the restore's.
    expect(names).toEqual(expect.arrayContaining(['apim-dr.backup.started', 'apim-dr.backup.succeeded', 'apim-dr.restore.started']));
    expect(names.indexOf('apim-dr.backup.succeeded')).toBeLessThan(names.indexOf('apim-dr.restore.started'));
    const bare = recordName.replace(/^restores\//, '').replace(/\.json$/, '');
    const neuId = (await services.restores.read(recordName))!.record.targetId;
    for (const name of [bare, targetLockId('contoso-apim-neu', neuId)]) expect(await remote(name)).toEqual(restoreLog);
    expect(await events([recordName, '--break-glass', '--config', configFile], sandbox.settings)).toEqual(restoreLog);

    const table = await viaApp(['logs', bare], READER);
    expect(table.stdout).toContain(`restore ${recordName} (succeeded), correlation ID ${restoreLog.correlationId}`);
    expect(table.stdout).toMatch(/TIME\s+LEVEL\s+EVENT\s+DETAILS\n\S+Z\s+info\s+restore\.accepted\s+source=contoso-apim-weu target=contoso-apim-neu/);
    const yaml = await viaApp(['logs', bare, '--output', 'yaml'], READER);
    expect(yaml.stdout).toContain(`correlationId: ${restoreLog.correlationId}`);

    const notAName = await viaApp(['logs', 'yesterday'], READER);
    expect(notAName.code).toBe(2);
    expect(notAName.stderr).toContain('names no operation: give an operation ID');
    const unknown = await viaApp(['logs', 'restore-contoso-apim-xyz-00000000'], READER);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("is not one of this app's");
  });

  it('exit codes through the app follow the one table: a missing backup 1 from restore and check, a busy target 1 (409)', async () => {
    const missing = 'contoso-apim-weu.20200101T000000Z.manual.apimbackup';
    for (const command of [['check'], ['restore', '--yes']]) {
      const run = await viaApp([...command, '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--backup', missing]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`backup '${missing}' is not in the catalog`);
    }
    await viaApp(['backup', 'contoso-apim-weu']);
    const neu = sandbox.apim.service('contoso-apim-neu');
    neu.provisioningState = 'Updating';
    try {
      const restore = await viaApp(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu', '--yes']);
      expect(restore.code, restore.stderr).toBe(1);
      expect(restore.stderr).toContain("'contoso-apim-neu' is 'Updating': another operation is running on it");
      const check = await viaApp(['check', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-neu']);
      expect(check.code, check.stderr).toBe(1);
    } finally {
      neu.provisioningState = 'Succeeded';
    }
  });

  it('the prompt through the app says what runs first and how to skip it with a flag, and refuses before asking what cannot be restored', async () => {
    const refused = await viaApp(['restore', '--from', 'contoso-apim-weu', '--to', 'contoso-apim-dev']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('TierMismatch');
    expect(refused.stderr).not.toContain('without --yes');

    const app = new AppClient({ url: front.origin, audience: AUDIENCE, credential: () => entra.credential(OPERATOR) });
    const terminal = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
    let printed = '';
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((printed += chunk.toString()), done()) });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const answering = remoteRestore(app, { from: 'contoso-apim-weu', to: 'contoso-apim-neu' }, true, createOutput('table', sink, sink), terminal);
      await expect.poll(() => printed, { timeout: 10_000 }).toContain('first');
      terminal.write('contoso-apim-neu\n');
      expect(await answering).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    expect(printed).toMatch(/first\s+a pre-restore backup of 'contoso-apim-neu' runs first \(about .+, the median of its last \d+\): it adds to the RTO/);
    expect(printed).toContain('--no-pre-backup skips it, and with it the way back');
    expect(printed).not.toContain('"preRestoreBackup"');
    expect(printed).toMatch(/restored contoso-apim-weu\.\S+ into contoso-apim-neu/);
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

  it('dry-runs a snapshot apply through the app as a reader: a whole target followed to its end, the same answer as in process', async () => {
    const weu = parseServiceId(services.config.services.find((s) => s.id.endsWith('/contoso-apim-weu'))!.id)!;
    const name = (await snapshotOf(services, weu, 'manual', 'test')).snapshotName;
    const json = await viaApp(['snapshot', 'apply', name, '--to', 'contoso-apim-neu', '--dry-run', '--json'], READER);
    expect(json.stderr).toContain(`via the app at ${front.origin}`);
    const check = JSON.parse(json.stdout) as ApplyCheck;
    expect(check).toEqual(await checkSnapshotApply(services, { snapshotName: name, target: 'contoso-apim-neu', requestedBy: 'test' }));
    expect(json.code, json.stderr).toBe(check.verdict === 'Not restorable' ? 3 : 0);
    // Read by an orchestration (the whole target in parts), not within the HTTP request.
    expect([...host.engine.instances.keys()].some((id) => id.startsWith('snapshot-check-contoso-apim-neu-'))).toBe(true);
    const text = await viaApp(['snapshot', 'apply', name, '--to', 'contoso-apim-neu', '--dry-run'], READER);
    expect(text.stdout.split('\n')[0]).toBe(`${check.verdict}: ${name} → contoso-apim-neu (${check.targetTier})`);
  });

  it('a whole-target dry run the app refuses while planning exits and prints as in process (usage 2, not 1)', async () => {
    const weu = parseServiceId(services.config.services.find((s) => s.id.endsWith('/contoso-apim-weu'))!.id)!;
    const name = (await snapshotOf(services, weu, 'manual', 'test')).snapshotName;
    const args = ['snapshot', 'apply', name, '--to', 'contoso-apim-neu', '--dry-run', '--override', 'backends/no-such-backend.url=https://x.example'];
    const local = await cli([...args, '--break-glass', '--config', configFile], OPERATOR, sandbox.settings);
    expect(local.code, local.stderr).toBe(2);
    const message = local.stderr.split('\n').find((l) => l.includes('OverrideNotInSnapshot') || l.includes("override of 'backends/no-such-backend'"))!;
    expect(message).toContain("override of 'backends/no-such-backend'");
    const remote = await viaApp(args, READER);
    expect(remote.stderr).toContain(`via the app at ${front.origin}`);
    expect(remote.code, remote.stderr).toBe(2);
    expect(remote.stderr.split('\n')).toContain(message);
    // Refused by the orchestration (the whole target is read in parts), which answers with the error's code and kind.
    const id = [...host.engine.instances.keys()].find(
      (i) => host.engine.instances.get(i)!.output && JSON.stringify(host.engine.instances.get(i)!.output).includes('OverrideNotInSnapshot'),
    );
    expect(id).toMatch(/^snapshot-check-contoso-apim-neu-/);
    expect(host.engine.instances.get(id!)!.output).toEqual({
      error: { code: 'OverrideNotInSnapshot', kind: 'usage', message: message.replace(/^apim-dr: /, '') },
    });
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
