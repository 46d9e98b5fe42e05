/** `apim-dr host`: the local host on a config, or (with no config) on the sandbox with a demo fleet. */
import type { Command } from 'commander';
import { UserError } from '../../errors';
import type { CliContext } from '../context';
import { DEFAULT_APP_SETTINGS, TICK_SCHEDULE_SETTING } from '../../config/appSettings';
import { parseConfig } from '../../config/loadConfig';
import type { Config } from '../../config/schema';
import { HTTP_AUTH_SETTING } from '../../http/caller';
import { EVENT_GRID_WEBHOOK, LocalHost } from '../../local/LocalHost';
import type { RunningSandbox } from '../../sandbox/startSandbox';
import { createServices } from '../../services';
import { createLogger } from '../../telemetry/logger';
import { prettySink } from '../../telemetry/prettySink';
import { ExitCode, type Output } from '../output';

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
    const config = options.config ?? demoConfig(demo!.sandbox, demo!.v2Services);
    // Like local.settings.sample.json: the timer schedules have defaults unless the environment sets them.
    // HTTP authentication is off locally unless the environment turns it on (APIM_DR_HTTP_AUTH=entra-id, emulated on loopback).
    const settings = {
      ...DEFAULT_APP_SETTINGS,
      [HTTP_AUTH_SETTING]: 'none',
      ...options.settings,
      ...sandbox?.settings,
      ...(sandbox ? { [TICK_SCHEDULE_SETTING]: '0 * * * * *' } : {}),
    };
    const services = createServices(config, { settings, logger, extraCa: sandbox?.caPem });
    const host = await LocalHost.start({ services, port: options.port, logger });
    out.line(`apim-dr local host on ${host.origin}${sandbox ? ' (sandbox: no Azure account needed)' : ''}`);
    for (const fn of host.describe()) out.line(`  ${fn.trigger.padEnd(22)} ${fn.name}`);
    out.line(`Event Grid webhook: ${host.origin}${EVENT_GRID_WEBHOOK}?functionName=onConfigurationChange`);
    const stopDemo = sandbox ? startDemo(sandbox, host, out) : () => undefined;
    // A freshly started host catches up at once instead of waiting for the first tick.
    await host.invokeTimer('scheduleTick');
    await options.until;
    stopDemo();
    out.line('stopping…');
    await host.stop();
    return ExitCode.ok;
  } finally {
    await sandbox?.close();
  }
}

/** The sample fleet plus a Standard v2 pair protected by snapshots (src/sandbox/demoV2.ts). */
async function startDemoSandbox(): Promise<{ sandbox: RunningSandbox; v2Services: Record<string, unknown>[] }> {
  const { startSandbox, SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION } = await import('../../sandbox/startSandbox.js');
  const { demoV2Specs, demoV2Services, seedDemoV2, DEMO_V2 } = await import('../../sandbox/demoV2.js');
  const v2 = demoV2Specs(SANDBOX_SUBSCRIPTION);
  const sandbox = await startSandbox({ services: [...SAMPLE_SERVICES, ...v2], durationMs: (kind) => (kind === 'backup' ? 20_000 : 40_000) });
  seedDemoV2(sandbox.apim.service(DEMO_V2));
  return { sandbox, v2Services: demoV2Services(v2) };
}

function demoConfig(sandbox: RunningSandbox, v2Services: Record<string, unknown>[]): Config {
  const raw = sandbox.config({ schedule: '0 0 * * * *', defaults: { pollInterval: 'PT5S' } }) as { services: Record<string, unknown>[] };
  raw.services = [...raw.services.filter((s) => !/\/contoso-apim-v2-/.test(String(s.id))), ...v2Services];
  const primary = raw.services.find((s) => String(s.id).endsWith(`/${DEMO_PRIMARY}`));
  if (primary) primary.events = { enabled: true, quietPeriod: 'PT30S', maxDelay: 'PT5M' };
  return parseConfig(raw, 'sandbox config');
}

/** The sandbox delivers its change events to the host's Event Grid webhook, and makes one change to show it. */
function startDemo(sandbox: RunningSandbox, host: LocalHost, out: Output): () => void {
  out.line(`sandbox ARM ${sandbox.armEndpoint}, storage ${sandbox.blobEndpoint}`);
  out.line(
    `protecting: ${sandbox.apim
      .listServices()
      .map((s) => `${s.spec.name} (${s.spec.sku.name}, ${s.spec.location})`)
      .join(', ')}`,
  );
  out.line(`try: curl -s -X POST ${host.origin}/api/backups -d '{"service":"contoso-apim-dev"}'   ·   curl -s ${host.origin}/api/backups`);
  sandbox.apim.onChange((event) => {
    void fetch(`${host.origin}${EVENT_GRID_WEBHOOK}?functionName=onConfigurationChange`, { method: 'POST', body: JSON.stringify([event]) }).catch(
      () => undefined,
    );
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
