/** The CLI next to the demo: `apim-dr host` on the sandbox writes the CLI's settings; the CLI finds them by itself. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../dev/sandbox/startSandbox';
import { BIN, cli } from './runCli';

describe('the CLI next to the demo (npm start)', () => {
  let demoFile: string;
  let host: ChildProcess;
  let seen = '';

  beforeAll(async () => {
    demoFile = join(mkdtempSync(join(tmpdir(), 'apim-dr-demo-')), '.apim-dr', 'demo.json');
    host = spawn(process.execPath, [BIN, 'host', '--port', '0'], { env: { PATH: process.env['PATH'], APIM_DR_DEMO_FILE: demoFile } });
    await new Promise<void>((resolve, reject) => {
      host.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('npx apim-dr status')) resolve();
      });
      host.once('close', () => reject(new Error(`host exited: ${seen}`)));
    });
  });
  afterAll(() => {
    if (host.exitCode === null) host.kill('SIGINT');
  });

  it('writes the settings (app URL, config with the CA beside it, Azurite) and prints the command to try', () => {
    const settings = JSON.parse(readFileSync(demoFile, 'utf8')) as { appUrl: string; config: { arm: { caFile: string } }; settings: Record<string, string> };
    expect(seen).toContain(`local host on ${settings.appUrl}`);
    expect(settings.config.arm.caFile).toBe(join(dirname(demoFile), 'sandbox-ca.pem'));
    expect(readFileSync(settings.config.arm.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(settings.settings['APIM_DR_SANDBOX_STORAGE']).toContain('BlobEndpoint=http://127.0.0.1:');
  });

  it('status in a second terminal works with nothing exported: through the app, by default', async () => {
    const run = await cli(['status'], { APIM_DR_DEMO_FILE: demoFile });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('status: via the demo at http://127.0.0.1:');
    expect(run.stdout).toMatch(/contoso-apim-weu\s+\S+/);
  });

  it('--break-glass runs in this process on the demo settings, and says so', async () => {
    const run = await cli(['list', '--break-glass', '--output', 'yaml'], { APIM_DR_DEMO_FILE: demoFile });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('break-glass: in this process');
    expect(run.stdout).toMatch(/^(\[\]|- backupName: contoso-apim-)/);
  });

  it('a second host on the same port gets a clear message naming --port (exit 2)', async () => {
    const settings = JSON.parse(readFileSync(demoFile, 'utf8')) as { appUrl: string };
    const port = new URL(settings.appUrl).port;
    const other = join(mkdtempSync(join(tmpdir(), 'apim-dr-demo-')), 'demo.json');
    const run = await cli(['host', '--port', port], { APIM_DR_DEMO_FILE: other });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`port ${port} is already in use`);
    expect(run.stderr).toContain('--port');
    expect(run.stderr).not.toContain('EADDRINUSE');
    // The demo that could not start leaves no settings behind.
    expect(existsSync(other)).toBe(false);
  });

  it('a second demo leaves the running one its settings, and says how to reach it instead', async () => {
    const before = readFileSync(demoFile, 'utf8');
    const second = await cli(['host', '--port', '0'], { APIM_DR_DEMO_FILE: demoFile }, (line) => line.includes('try this one'));
    expect(second.stdout).toMatch(/another demo \(pid \d+, http:\/\/127\.0\.0\.1:\d+\) owns /);
    expect(second.stdout).toMatch(/try this one, in a second terminal: {2}npx apim-dr status --app http:\/\/127\.0\.0\.1:\d+/);
    expect(readFileSync(demoFile, 'utf8')).toBe(before);
  });

  it('removes its settings when it stops; the CLI then says how to start or point at an app', async () => {
    const closed = new Promise((resolve) => host.once('close', resolve));
    host.kill('SIGINT');
    await closed;
    expect(existsSync(demoFile)).toBe(false);
    expect(existsSync(join(dirname(demoFile), 'sandbox-ca.pem'))).toBe(false);
    const run = await cli(['status'], { APIM_DR_DEMO_FILE: demoFile });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--app <url>');
    expect(run.stderr).toContain('npm start');
  });
});

describe('the sandbox', () => {
  it('removes its temporary folder when it stops', async () => {
    const sandbox = await startSandbox();
    expect(existsSync(sandbox.caFile)).toBe(true);
    await sandbox.close();
    expect(existsSync(dirname(sandbox.caFile))).toBe(false);
  });
});
