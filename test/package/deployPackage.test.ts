/**
 * The package azd uploads, tested the way Azure loads it: built by `npm run package`'s code, extracted into an
 * empty folder outside the repository (no parent node_modules, no development dependency reachable), its
 * `main` loaded with the Functions worker's module supplied from outside it, and a sandbox backup run end to end
 * through it, served by the repository's local host as Azure's host serves it. Nothing of the stage set ships.
 */
import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeployPackage, type DeployPackage } from '../../scripts/package/deployPackage';
import { CONFIG_SETTING } from '../../src/config/loadConfig';
import { READ_REGISTRATIONS, writeWorkerStandIn } from '../../dev/functionsWorker/workerStandIn';
import { loadFunctions } from '../../dev/localHost/LocalHost';
import { triggerOf } from '../../src/inProcess/registration';
import { startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';

const root = path.resolve(__dirname, '../..');
const devDependencies = Object.keys(
  (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies,
);

let built: DeployPackage;
let extracted: string;
let workerPath: string;

beforeAll(() => {
  built = buildDeployPackage({ root });
  extracted = mkdtempSync(path.join(tmpdir(), 'apim-dr-package-'));
  for (const [name, content] of Object.entries(unzipSync(readFileSync(built.zipPath)))) {
    const target = path.join(extracted, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  workerPath = writeWorkerStandIn(mkdtempSync(path.join(tmpdir(), 'apim-dr-worker-')));
  console.log(`deployment package: ${built.files.length} files, ${built.uncompressedBytes} bytes, zipped ${built.zipBytes} bytes`);
}, 240_000);

afterAll(() => {
  if (extracted) rmSync(extracted, { recursive: true, force: true });
  if (workerPath) rmSync(workerPath, { recursive: true, force: true });
});

/** Runs `script` with Node in the extracted package, with nothing of the repository reachable. */
function nodeIn(dir: string, script: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['-e', script], { cwd: dir, env: isolatedEnv(env), encoding: 'utf8' });
}

function isolatedEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOME: extracted, ...env };
}

// The worker's module comes from outside the package, as in Azure: the repository's stand-in, on NODE_PATH.
const withWorker = (env: Record<string, string> = {}) => ({ NODE_PATH: workerPath, ...env });
const REGISTRATIONS = `
require(require('node:path').resolve(require('./package.json').main));
const registry = ${READ_REGISTRATIONS};
console.log(JSON.stringify([...registry.values()].map((r) => [r.metadata.name, Object.values(r.metadata.bindings).find((b) => b.direction === 'in' && b.type.endsWith('Trigger')).type])));
`;

/** Every module of the stage set (dev/), as the compiled path it would have in the package. */
function stageSetModules(dir = path.join(root, 'dev'), prefix = 'dist/dev'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? stageSetModules(path.join(dir, e.name), `${prefix}/${e.name}`)
      : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
        ? [`${prefix}/${e.name.replace(/\.ts$/, '.js')}`]
        : [],
  );
}

describe('the deployment package', () => {
  it('holds host.json and the compiled entry point that package.json names as main', () => {
    const names = new Set(built.files.map((f) => f.path));
    const main = (JSON.parse(readFileSync(path.join(extracted, 'package.json'), 'utf8')) as { main: string }).main;
    expect(names.has('host.json')).toBe(true);
    expect(names.has(path.posix.normalize(main))).toBe(true);
    expect([...names].filter((n) => n.startsWith('dist/src/workflows/')).length).toBeGreaterThan(20);
  });

  it('holds no local settings, tests, benches, infra or TypeScript sources', () => {
    const offending = built.files
      .map((f) => f.path)
      .filter(
        (n) =>
          /(^|\/)local\.settings\.json$/.test(n) ||
          /^(test|bench|infra|scripts|src|functions|dev)\//.test(n) ||
          (!n.startsWith('node_modules/') && /\.ts$/.test(n)),
      );
    expect(offending).toEqual([]);
  });

  it('holds nothing of the stage set: no dev/ module, no local host, sandbox or Azurite wiring where they used to be', () => {
    const names = built.files.map((f) => f.path);
    const modules = stageSetModules();
    expect(modules).toContain('dist/dev/localHost/LocalHost.js');
    expect(modules).toContain('dist/dev/sandbox/azurite.js');
    // Built, then left out: the build compiles dev/ too, for the CLI's `host` command.
    expect(existsSync(path.join(root, 'dist/dev/localHost/LocalHost.js'))).toBe(true);
    expect(names.filter((n) => /^(dist\/)?dev\//.test(n) || /^dist\/src\/(local|sandbox)\//.test(n))).toEqual([]);
    expect(modules.filter((m) => names.includes(m))).toEqual([]);
    // What the break-glass CLI runs in process does ship.
    expect(names).toContain('dist/src/inProcess/durableEngine.js');
  });

  it('ships the production dependencies and none of the development ones', () => {
    const installed = (name: string) => existsSync(path.join(extracted, 'node_modules', name, 'package.json'));
    expect(['@azure/functions', 'durable-functions', '@azure/arm-apimanagement', '@azure/storage-blob', 'zod'].filter((n) => !installed(n))).toEqual([]);
    expect(devDependencies.filter(installed)).toEqual([]);
  });

  it('cannot reach any development dependency from where it is extracted', () => {
    const reachable = nodeIn(
      extracted,
      `console.log(JSON.stringify(${JSON.stringify(devDependencies)}.filter((m) => { try { require.resolve(m); return true; } catch { return false; } })))`,
    );
    expect(JSON.parse(reachable)).toEqual([]);
  });

  it('registers, loaded alone, exactly the functions the repository registers', async () => {
    const fromPackage = JSON.parse(nodeIn(extracted, REGISTRATIONS, withWorker())) as [string, string][];
    const fromRepository = [...(await loadFunctions()).values()].map((r): [string, string] => [r.metadata.name, triggerOf(r).type]);
    expect(fromPackage.length).toBeGreaterThanOrEqual(23);
    expect(new Map(fromPackage)).toEqual(new Map(fromRepository));
  });

  describe('run against the sandbox', () => {
    let sandbox: RunningSandbox;
    let app: ChildProcessWithoutNullStreams;
    let origin: string;

    beforeAll(async () => {
      sandbox = await startSandbox({ durationMs: () => 1_500 });
      const config = sandbox.config({ defaults: { pollInterval: 'PT1S' } });
      app = spawn(process.execPath, ['-e', LOCAL_HOST], {
        cwd: extracted,
        env: isolatedEnv(withWorker({ ...sandbox.settings, [CONFIG_SETTING]: JSON.stringify(config) })),
      });
      const stderr: string[] = [];
      app.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      origin = await new Promise<string>((resolve, reject) => {
        app.once('exit', (code) => reject(new Error(`the packaged app exited with ${code}: ${stderr.join('')}`)));
        createInterface({ input: app.stdout }).on('line', (line) => {
          const m = /^listening (\S+)$/.exec(line);
          if (m) resolve(m[1]!);
        });
      });
    }, 60_000);

    afterAll(async () => {
      app?.kill();
      await sandbox?.close();
    });

    it('backs an instance up end to end through the extracted code', async () => {
      const posted = await fetch(`${origin}/api/backups`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ service: 'contoso-apim-dev' }),
      });
      expect(posted.status).toBe(202);
      const { statusQueryGetUri } = (await posted.json()) as { statusQueryGetUri: string };
      let status: { runtimeStatus: string; output?: { state: string; backupName: string } } | undefined;
      for (let i = 0; i < 60 && status?.runtimeStatus !== 'Completed'; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await (await fetch(statusQueryGetUri)).json()) as typeof status;
      }
      expect(status?.output?.state).toBe('succeeded');
      // Judged from storage, not from what the app says: the blob and its manifest exist, and the manifest says succeeded.
      const backupName = status!.output!.backupName;
      const manifest = JSON.parse(
        (
          await sandbox
            .container()
            .getBlockBlobClient(backupName.replace(/\.apimbackup$/, '.manifest.json'))
            .downloadToBuffer()
        ).toString(),
      ) as { state: string };
      expect(manifest.state).toBe('succeeded');
      expect((await sandbox.container().getBlockBlobClient(backupName).getProperties()).contentLength).toBeGreaterThan(0);
    }, 60_000);
  });
});

/**
 * The packaged app, loaded from inside the package with the worker's module supplied, on the config in app settings,
 * served by the repository's local host (from outside the package, as Azure's host is): what Azure does, on loopback.
 * The app's own code resolves its modules from the package; only the host's come from the repository.
 */
const compiled = (relative: string) => JSON.stringify(path.join(root, 'dist', relative));
const LOCAL_HOST = `
require(require('node:path').resolve(require('./package.json').main));
const functions = ${READ_REGISTRATIONS};
const { LocalHost } = require(${compiled('dev/localHost/LocalHost.js')});
const { loadConfigFromEnvironment } = require(${compiled('src/config/loadConfig.js')});
const { createServices } = require(${compiled('src/services.js')});
const services = createServices(loadConfigFromEnvironment(process.env), { settings: process.env });
LocalHost.start({ services, port: 0, timers: false, functions }).then((host) => console.log('listening ' + host.origin));
`;
