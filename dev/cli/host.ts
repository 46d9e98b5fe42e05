/** `apim-dr host`: the local host on a config, or (with no config) on the sandbox with a demo fleet. */
import type { Command } from 'commander';
import { UserError } from '../../src/errors';
import type { CliContext } from '../../src/cli/context';
import { DEFAULT_APP_SETTINGS, TICK_SCHEDULE_SETTING } from '../../src/config/appSettings';
import type { Config } from '../../src/config/schema';
import type { LocalHost } from '../localHost/LocalHost';
import type { RunningSandbox } from '../sandbox/startSandbox';
import { createLogger } from '../../src/telemetry/logger';
import { prettySink } from '../../src/telemetry/prettySink';
import { ExitCode, type Output } from '../../src/cli/output';

export interface HostCommandOptions {
  config?: Config;
  port: number;
  settings: NodeJS.ProcessEnv;
  /** Resolves when the host should stop (SIGINT in the CLI). */
  until: Promise<void>;
}

const DEMO_PRIMARY = 'contoso-apim-weu';
const DEMO_CHANGE_AFTER_MS = 60_000;

export async function hostCommand(options: HostCommandOptions, out: Output): Promise<number> {
  const logger = createLogger(
    prettySink((line) => out.line(line)),
    { app: 'apim-dr' },
  );
  // Loaded only for the demo: the sandbox needs Azurite, a development dependency.
  const demo = options.config ? undefined : await startDemoSandbox();
  const sandbox = demo?.sandbox;
  try {
    // Loaded here, not at the CLI's start: --help and the other commands need none of it.
    const [
      { parseConfig },
      { createServices },
      { LocalHost, EVENT_GRID_WEBHOOK },
      { HTTP_AUTH_SETTING },
      { EVENT_GRID_KEY_SETTING },
      { demoFilePath, removeDemoSettings, writeDemoSettings },
    ] = await Promise.all([
      import('../../src/config/loadConfig.js'),
      import('../../src/services.js'),
      import('../localHost/LocalHost.js'),
      import('../../src/http/caller.js'),
      import('../localHost/edgeGuard.js'),
      import('../../src/cli/demoSettings.js'),
    ]);
    const config = options.config ?? parseConfig(demoRaw(demo!.sandbox, demo!.v2Services), 'sandbox config');
    // Like local.settings.sample.json: the timer schedules have defaults unless the environment sets them.
    // HTTP authentication is off locally unless the environment turns it on (APIM_DR_HTTP_AUTH=entra-id, emulated on loopback).
    const settings: NodeJS.ProcessEnv = {
      ...DEFAULT_APP_SETTINGS,
      [HTTP_AUTH_SETTING]: 'none',
      ...options.settings,
      ...sandbox?.settings,
      ...(sandbox ? { [TICK_SCHEDULE_SETTING]: '0 * * * * *' } : {}),
    };
    const services = createServices(config, { settings, logger, extraCa: sandbox?.caPem });
    const host = await startHost(() => LocalHost.start({ services, port: options.port, logger }), options.port);
    out.line(`apim-dr local host on ${host.origin}${sandbox ? ' (sandbox: no Azure account needed)' : ''}`);
    for (const fn of host.describe()) out.line(`  ${fn.trigger.padEnd(22)} ${fn.name}`);
    out.line(`Event Grid webhook: ${host.origin}${EVENT_GRID_WEBHOOK}?functionName=onConfigurationChange`);
    const demoFile = sandbox ? demoFilePath(options.settings) : undefined;
    const other =
      sandbox && demoFile
        ? writeDemoSettings(
            demoFile,
            {
              appUrl: host.origin,
              httpAuth: settings[HTTP_AUTH_SETTING] === 'entra-id' ? 'entra-id' : 'none',
              config: demoRaw(sandbox, demo.v2Services),
              settings: sandbox.settings,
            },
            sandbox.caPem,
          )
        : undefined;
    if (other) {
      out.line(`another demo (pid ${other.pid}, ${other.appUrl}) owns ${demoFile}, so the CLI talks to that one by default`);
      out.line(`try this one, in a second terminal:  npx apim-dr status --app ${host.origin}`);
    } else if (sandbox && demoFile) {
      out.line(`CLI settings for this demo: ${demoFile} (found by the CLI itself; removed when the demo stops)`);
      out.line(`try, in a second terminal:  npx apim-dr status`);
    }
    // With authentication on, the webhook wants its key, as Event Grid sends it to the Functions host.
    const key = settings[EVENT_GRID_KEY_SETTING];
    const stopDemo = sandbox
      ? startDemo(sandbox, host, `${host.origin}${EVENT_GRID_WEBHOOK}?functionName=onConfigurationChange`, key ? { 'x-functions-key': key } : {}, out)
      : () => undefined;
    try {
      // A freshly started host catches up at once instead of waiting for the first tick.
      await host.invokeTimer('scheduleTick');
      await options.until;
    } finally {
      stopDemo();
      if (demoFile && !other) removeDemoSettings(demoFile);
    }
    out.line('stopping…');
    await host.stop();
    return ExitCode.ok;
  } finally {
    await sandbox?.close();
  }
}

/** Starts the local host; a port another process holds is the user's to change, with `--port`. */
async function startHost(start: () => Promise<LocalHost>, port: number): Promise<LocalHost> {
  try {
    return await start();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(
        `port ${port} is already in use (another apim-dr host or Functions host?): stop it, or pick a free port with --port, e.g. 'apim-dr host --port ${port + 1}' (npm start -- --port ${port + 1})`,
        'usage',
        'PortInUse',
      );
    throw err;
  }
}

/** The sample fleet plus a Standard v2 pair protected by snapshots (dev/sandbox/demoV2.ts). */
async function startDemoSandbox(): Promise<{ sandbox: RunningSandbox; v2Services: Record<string, unknown>[] }> {
  const { startSandbox, SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION } = await import('../sandbox/startSandbox.js');
  const { demoV2Specs, demoV2Services, seedDemoV2, DEMO_V2 } = await import('../sandbox/demoV2.js');
  const v2 = demoV2Specs(SANDBOX_SUBSCRIPTION);
  const sandbox = await startSandbox({ services: [...SAMPLE_SERVICES, ...v2], durationMs: (kind) => (kind === 'backup' ? 20_000 : 40_000) });
  seedDemoV2(sandbox.apim.service(DEMO_V2));
  return { sandbox, v2Services: demoV2Services(v2) };
}

/** The demo's config as JSON, as a user would write it: the CLI's break-glass path runs on the same. */
function demoRaw(sandbox: RunningSandbox, v2Services: Record<string, unknown>[]): Record<string, unknown> {
  const raw = sandbox.config({ schedule: '0 0 * * * *', defaults: { pollInterval: 'PT5S' } }) as { services: Record<string, unknown>[] };
  raw.services = [...raw.services.filter((s) => !/\/contoso-apim-v2-/.test(String(s.id))), ...v2Services];
  const primary = (raw['services'] as { id: string; events?: unknown }[]).find((s) => s.id.endsWith(`/${DEMO_PRIMARY}`));
  if (primary) primary.events = { enabled: true, quietPeriod: 'PT30S', maxDelay: 'PT5M' };
  return raw;
}

/** The sandbox delivers its change events to the host's Event Grid webhook, and makes one change to show it. */
function startDemo(sandbox: RunningSandbox, host: LocalHost, webhook: string, keyHeader: Record<string, string>, out: Output): () => void {
  out.line(`sandbox ARM ${sandbox.armEndpoint}, storage ${sandbox.blobEndpoint}`);
  out.line(
    `protecting: ${sandbox.apim
      .listServices()
      .map((s) => `${s.spec.name} (${s.spec.sku.name}, ${s.spec.location})`)
      .join(', ')}`,
  );
  out.line(
    `try: curl -s -X POST ${host.origin}/api/backups -H 'Content-Type: application/json' -d '{"service":"contoso-apim-dev"}'   ·   curl -s ${host.origin}/api/backups`,
  );
  sandbox.apim.onChange((event) => {
    void fetch(webhook, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...keyHeader },
      body: JSON.stringify([event]),
    }).catch(() => undefined);
  });
  const timer = setTimeout(() => {
    out.line(`sandbox: someone adds API 'demo-api' to ${DEMO_PRIMARY}; Event Grid delivers the change, a backup follows after a quiet 30 s`);
    sandbox.apim.changeConfiguration(DEMO_PRIMARY, (c) => c.apis.push('demo-api'), '/apis/demo-api');
  }, DEMO_CHANGE_AFTER_MS);
  return () => clearTimeout(timer);
}

export function registerHost(program: Command, cli: CliContext): void {
  program
    .command('host')
    .description('run the Functions app locally (no --config and no APIM_DR_CONFIG: on the built-in sandbox)')
    .option('--port <port>', 'HTTP port', '7071')
    .action((options: { port: string }) =>
      cli.run(() => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port '${options.port}' is not a port number (0-65535)`);
        const until = new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        return hostCommand({ config: cli.hasConfig() ? cli.config() : undefined, port, settings: cli.env, until }, cli.output());
      }),
    );
}
