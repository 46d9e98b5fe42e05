/** `apim-dr host`: the local host on a config, or (with no config) on the sandbox with a demo fleet. */
import { DEFAULT_APP_SETTINGS } from '../../config/appSettings';
import { parseConfig } from '../../config/loadConfig';
import type { Config } from '../../config/schema';
import { LocalHost } from '../../local/LocalHost';
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

export async function hostCommand(options: HostCommandOptions, out: Output): Promise<number> {
  const logger = createLogger(prettySink((line) => out.line(line)), { app: 'apim-dr' });
  // Loaded only for the demo: the sandbox needs Azurite, a development dependency.
  const sandbox = options.config ? undefined : await (await import('../../sandbox/startSandbox.js')).startSandbox({ durationMs: (kind) => (kind === 'backup' ? 20_000 : 40_000) });
  try {
    const config = options.config ?? parseConfig(sandbox!.config({ schedule: '0 */5 * * * *', defaults: { pollInterval: 'PT5S' } }), 'sandbox config');
    // Like local.settings.sample.json: the timer schedules have defaults unless the environment sets them.
    const settings = { ...DEFAULT_APP_SETTINGS, ...options.settings, ...sandbox?.settings };
    const services = createServices(config, { settings, logger, extraCa: sandbox?.caPem });
    const host = await LocalHost.start({ services, port: options.port, logger });
    out.line(`apim-dr local host on ${host.origin}${sandbox ? ' (sandbox: no Azure account needed)' : ''}`);
    for (const fn of host.describe()) out.line(`  ${fn.trigger.padEnd(22)} ${fn.name}`);
    if (sandbox) {
      out.line(`sandbox ARM ${sandbox.armEndpoint}, storage ${sandbox.blobEndpoint}`);
      out.line(`protecting: ${sandbox.apim.listServices().map((s) => `${s.spec.name} (${s.spec.sku.name}, ${s.spec.location})`).join(', ')}`);
      out.line(`try: curl -s -X POST ${host.origin}/api/backups -d '{"service":"contoso-apim-dev"}'   ·   curl -s ${host.origin}/api/backups`);
    }
    // A freshly started host catches up at once instead of waiting up to five minutes for the first tick.
    await host.invokeTimer('scheduleTick');
    await options.until;
    out.line('stopping…');
    await host.stop();
    return ExitCode.ok;
  } finally {
    await sandbox?.close();
  }
}
