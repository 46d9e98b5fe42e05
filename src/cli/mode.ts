/**
 * Where a command runs. Remote (the default wherever an app is known: `--app`, APIM_DR_APP_URL, or a running demo):
 * the app's HTTP API does it, as the app's identity, and records the operator as the principal Entra ID validated.
 * In process: this process runs the workflows with the operator's own Azure rights; the break-glass path for when
 * the app cannot be reached, chosen with `--break-glass` (or when only a config is given, with no app to ask).
 */
import type { TokenCredential } from '@azure/core-auth';
import { CONFIG_SETTING } from '../config/configSetting';
import type { Config } from '../config/schema';
import { identity } from '../azure/lazySdk';
import { UserError } from '../errors';
import { readDemoSettings, type DemoSettings } from './demoSettings';
import { loadConfigModule } from './lazy';
import { APP_AUDIENCE_SETTING, APP_URL_SETTING, AppClient, FUNCTION_KEY_SETTING } from './remote/appClient';

export interface ModeOptions {
  app?: string;
  audience?: string;
  breakGlass?: boolean;
  config?: string;
}

export type Mode = { kind: 'remote'; app: AppClient; via: string } | { kind: 'in-process'; via: string };

export interface ModeDependencies {
  credential?: () => TokenCredential;
  fetch?: typeof fetch;
}

/** What was given, read once: the options, the environment and a running demo's settings. */
export class ModeChooser {
  private demoRead = false;
  private demoSettings?: DemoSettings;

  constructor(
    private readonly options: ModeOptions,
    private readonly env: NodeJS.ProcessEnv,
    private readonly deps: ModeDependencies = {},
  ) {}

  demo(): DemoSettings | undefined {
    if (!this.demoRead) {
      this.demoRead = true;
      // An explicit config means this config, not the demo's.
      if (!this.options.config && !this.env[CONFIG_SETTING]) this.demoSettings = readDemoSettings(this.env);
    }
    return this.demoSettings;
  }

  choose(): Mode {
    if (this.options.breakGlass) {
      if (this.options.app)
        throw new UserError('--app and --break-glass exclude each other: --break-glass runs in this process instead of asking the app', 'usage');
      return { kind: 'in-process', via: 'break-glass: in this process, with your own Azure rights' };
    }
    const url = this.options.app ?? this.env[APP_URL_SETTING];
    if (url) return { kind: 'remote', app: this.client(url, this.options.audience ?? this.env[APP_AUDIENCE_SETTING]), via: `the app at ${url}` };
    if (this.options.config || this.env[CONFIG_SETTING]) return { kind: 'in-process', via: 'in this process (a config and no app given)' };
    const demo = this.demo();
    if (demo) return { kind: 'remote', app: this.client(demo.appUrl, undefined), via: `the demo at ${demo.appUrl}` };
    throw new UserError(
      `no app to ask and no config: give the app's URL with --app <url> (or ${APP_URL_SETTING}), start the demo (npm start), or run in this process with --config FILE (or ${CONFIG_SETTING})`,
      'config',
      'ConfigMissing',
    );
  }

  /** Whether the break-glass path has a config to run on. */
  canRunInProcess(): boolean {
    return Boolean(this.options.config || this.env[CONFIG_SETTING] || this.demo());
  }

  /** The config for the in-process path: `--config`, APIM_DR_CONFIG, or the running demo's. */
  config(): Config {
    const { loadConfigFile, loadConfigFromEnvironment, parseConfig } = loadConfigModule();
    if (this.options.config) return loadConfigFile(this.options.config);
    if (this.env[CONFIG_SETTING]) return loadConfigFromEnvironment(this.env);
    const demo = this.demo();
    if (demo) return parseConfig(demo.config, 'the demo settings');
    return loadConfigFromEnvironment(this.env);
  }

  /** App settings for the in-process path: the environment, and the demo's (Azurite's connection) when it runs on the demo. */
  settings(): NodeJS.ProcessEnv {
    const demo = this.options.config || this.env[CONFIG_SETTING] ? undefined : this.demo();
    return demo ? { ...demo.settings, ...this.env } : this.env;
  }

  private client(url: string, audience: string | undefined): AppClient {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UserError(`--app '${url}' is not a URL: give the app's address, e.g. https://func-apim-dr.azurewebsites.net`, 'usage', 'InvalidAppUrl');
    }
    if (parsed.protocol !== 'https:' && !isLoopback(parsed.hostname))
      throw new UserError(`--app '${url}' is not HTTPS: tokens go to the app only over HTTPS (plain HTTP only on loopback)`, 'usage', 'InvalidAppUrl');
    return new AppClient({
      url: parsed.origin,
      audience,
      credential: this.deps.credential ?? defaultCredential,
      functionKey: this.env[FUNCTION_KEY_SETTING],
      fetch: this.deps.fetch,
    });
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The developer's `az login`, a managed identity, or a service principal from the environment (loaded on first use). */
function defaultCredential(): TokenCredential {
  return new (identity().DefaultAzureCredential)();
}
