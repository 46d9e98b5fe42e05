/** Loads and validates the config from the `APIM_DR_CONFIG` app setting or a file; app settings are always handed in. */
import { readFileSync } from 'node:fs';
import { ValidationError, UserError, ensureError } from '../errors';
import { describeIssue } from '../validation';
import { readCaFile } from './caFile';
import { configSchema, type Config } from './schema';

import { CONFIG_SETTING } from './configSetting';
export { CONFIG_SETTING };

export function parseConfig(raw: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (result.success) {
    // A CA file that is not PEM is named now, not when the first ARM call fails.
    if (result.data.arm.caFile) readCaFile(result.data.arm.caFile);
    return result.data;
  }
  throw new ValidationError(source, result.error.issues.map(describeIssue), 'config');
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${source} is not valid JSON: ${ensureError(err).message}`, 'config', 'InvalidConfig');
  }
}

export function loadConfigFile(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read config file '${file}': ${(err as NodeJS.ErrnoException).code ?? ensureError(err).message}`, 'config', 'ConfigUnreadable');
  }
  return parseConfig(parseJson(text, `config file '${file}'`), `config file '${file}'`);
}

export function loadConfigFromEnvironment(env: NodeJS.ProcessEnv): Config {
  const text = env[CONFIG_SETTING];
  if (!text)
    throw new UserError(
      `app setting ${CONFIG_SETTING} is not set: it must hold the apim-dr config as JSON (see docs/configuration.md)`,
      'config',
      'ConfigMissing',
    );
  return parseConfig(parseJson(text, `app setting ${CONFIG_SETTING}`), `app setting ${CONFIG_SETTING}`);
}

/** Reads a secret-bearing app setting by name (storage keys, connection strings). The value is never logged. */
export function readSetting(name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value)
    throw new UserError(
      `app setting '${name}' named in the config is not set: set it in the app settings (local.settings.json locally)`,
      'config',
      'AppSettingMissing',
    );
  return value;
}
