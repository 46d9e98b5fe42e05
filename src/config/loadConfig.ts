/** Loads and validates the config from `APIM_DR_CONFIG` or a file; the only place that reads process.env. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ValidationError, UserError, ensureError } from '../errors';
import { configSchema, type Config } from './schema';

export const CONFIG_SETTING = 'APIM_DR_CONFIG';

export function parseConfig(raw: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ValidationError(source, result.error.issues.map(describeIssue), 'config');
}

export function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  const path = formatPath(issue.path);
  const input = 'input' in issue ? issue.input : undefined;
  const shown = input === undefined || typeof input === 'object' ? '' : ` (got ${JSON.stringify(input)})`;
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}: remove them or check their spelling` };
  }
  if (issue.code === 'invalid_type' && input === undefined) return { path, message: `is required (${issue.expected})` };
  // Custom messages already quote the value.
  return { path, message: issue.code === 'custom' ? issue.message : issue.message + shown };
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
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

export function loadConfigFromEnvironment(env: NodeJS.ProcessEnv = process.env): Config {
  const text = env[CONFIG_SETTING];
  if (!text) throw new UserError(`app setting ${CONFIG_SETTING} is not set: it must hold the apim-dr config as JSON (see README)`, 'config', 'ConfigMissing');
  return parseConfig(parseJson(text, `app setting ${CONFIG_SETTING}`), `app setting ${CONFIG_SETTING}`);
}

/** Reads a secret-bearing app setting by name (storage keys, connection strings). The value is never logged. */
export function readSetting(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new UserError(`app setting '${name}' named in the config is not set: set it in the app settings (local.settings.json locally)`, 'config', 'AppSettingMissing');
  return value;
}
