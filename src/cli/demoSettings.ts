/**
 * The demo's settings for the CLI: `apim-dr host` on the sandbox writes where its app listens, the config for its
 * sandbox (with the sandbox's CA beside it) and the Azurite connection, at a stable, git-ignored path under the
 * project (`.apim-dr/demo.json`), so that `npx apim-dr status` in a second terminal needs nothing exported.
 * Everything in it is loopback-only and dies with the demo: the sandbox certificate is made at start-up and
 * Azurite's account key is the public development key.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { projectRoot } from './projectRoot';

/** Overrides where the demo settings live (tests, or several checkouts sharing one shell). */
export const DEMO_FILE_SETTING = 'APIM_DR_DEMO_FILE';
export const DEMO_FOLDER = '.apim-dr';
export const DEMO_FILE = 'demo.json';

const demoSettingsSchema = z.object({
  about: z.string(),
  pid: z.int().positive(),
  appUrl: z.url(),
  startedAt: z.string(),
  /** The app's HTTP authentication: `none` on the demo, so the CLI sends no token. */
  httpAuth: z.enum(['none', 'entra-id']),
  config: z.record(z.string(), z.unknown()),
  settings: z.record(z.string(), z.string()),
});
export type DemoSettings = z.output<typeof demoSettingsSchema>;

/** Where the demo settings are: the setting if given, else `.apim-dr/demo.json` in this project. */
export function demoFilePath(env: NodeJS.ProcessEnv): string | undefined {
  const given = env[DEMO_FILE_SETTING];
  if (given) return given;
  const root = projectRoot();
  return root ? join(root, DEMO_FOLDER, DEMO_FILE) : undefined;
}

/**
 * Writes the demo settings and the sandbox's CA beside them; the config's `arm.caFile` is pointed at that copy.
 * A demo that still runs keeps its settings: returns that demo's instead, and writes nothing.
 */
export function writeDemoSettings(file: string, settings: Omit<DemoSettings, 'about' | 'pid' | 'startedAt'>, caPem: string): DemoSettings | undefined {
  const running = readDemoFileQuietly(file);
  if (running && running.pid !== process.pid && isRunning(running.pid)) return running;
  mkdirSync(dirname(file), { recursive: true });
  const caFile = join(dirname(file), 'sandbox-ca.pem');
  writeFileSync(caFile, caPem);
  const config = structuredClone(settings.config);
  const arm = (config['arm'] ?? {}) as Record<string, unknown>;
  config['arm'] = { ...arm, caFile };
  const document: DemoSettings = {
    about: 'written by `apim-dr host` on the sandbox (npm start) for the apim-dr CLI; removed when the demo stops',
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...settings,
    config,
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o600 });
  return undefined;
}

function readDemoFileQuietly(file: string): DemoSettings | undefined {
  try {
    return readDemoFile(file);
  } catch {
    return undefined;
  }
}

/** Removes the demo settings, but only if this process wrote them (a second demo may have taken over). */
export function removeDemoSettings(file: string): void {
  const current = readDemoFile(file);
  if (current && current.pid !== process.pid) return;
  rmSync(file, { force: true });
  rmSync(join(dirname(file), 'sandbox-ca.pem'), { force: true });
}

/**
 * The running demo's settings, or undefined when no demo has written any or the one that did has stopped
 * (a demo killed hard leaves its file behind: its process is gone, so the file is ignored).
 */
export function readDemoSettings(env: NodeJS.ProcessEnv): DemoSettings | undefined {
  const file = demoFilePath(env);
  if (!file) return undefined;
  const settings = readDemoFile(file);
  return settings && isRunning(settings.pid) ? settings : undefined;
}

function readDemoFile(file: string): DemoSettings | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UserError(`demo settings '${file}' are not JSON: stop the demo, delete the file and start it again (npm start)`, 'config', 'DemoSettingsInvalid');
  }
  const parsed = demoSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UserError(
      `demo settings '${file}' are invalid (${first?.path.join('.') || '(root)'}: ${first?.message}): delete the file and start the demo again (npm start)`,
      'config',
      'DemoSettingsInvalid',
    );
  }
  return parsed.data;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
