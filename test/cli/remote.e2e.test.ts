/**
 * Remote mode against the local host with authentication on: App Service authentication in front validates the
 * CLI's Entra ID token, the app's routes check the roles, and the records name the signed-in operator.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { parseConfig } from '../../src/config/loadConfig';
import { HTTP_AUTH_SETTING, PLATFORM_AUTH_SETTING } from '../../src/http/caller';
import { LocalHost } from '../../src/local/LocalHost';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/startSandbox';
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
  const entra = new TestEntraId();

  beforeAll(async () => {
    sandbox = await startSandbox({ durationMs: () => 1_200 });
    const settings = { ...sandbox.settings, [HTTP_AUTH_SETTING]: 'entra-id', [PLATFORM_AUTH_SETTING]: 'true' };
    services = createServices(parseConfig(sandbox.config({ defaults: { pollInterval: 'PT1S' } })), {
      settings,
      logger: createLogger(() => undefined, { app: 'apim-dr' }),
      extraCa: sandbox.caPem,
    });
    host = await LocalHost.start({ services, port: 0, timers: false });
    front = await startAppServiceAuth(entra, AUDIENCE, host.origin);
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
