/** zod issues as apim-dr reports them, for config and request bodies alike: the field's path, the problem and the value. */
import type { z } from 'zod';

/** The most of any input an error message reflects: enough to recognise it, never a megabyte back. */
export const MAX_QUOTED = 200;

/** Quotes input for an error message, cut to MAX_QUOTED characters with the length it had. */
export function quoteInput(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length <= MAX_QUOTED ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, MAX_QUOTED))}… (${text.length} characters)`;
}

/** Cuts input quoted in a message to MAX_QUOTED characters, saying how long it was. */
export function clip(value: string): string {
  return value.length <= MAX_QUOTED ? value : `${value.slice(0, MAX_QUOTED)}… (${value.length} characters)`;
}

/**
 * Fields that hold the NAME of an app setting whose value is a secret (a key, a connection string, a webhook URL).
 * A value that fails there is most likely the secret itself, pasted in: it is never echoed.
 */
function namesASecretSetting(path: PropertyKey[]): boolean {
  const last = path[path.length - 1];
  return typeof last === 'string' && /Setting$/.test(last);
}

export function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  const path = formatPath(issue.path);
  const input = 'input' in issue ? issue.input : undefined;
  if (namesASecretSetting(issue.path) && input !== undefined) {
    return {
      path,
      message: 'must be the NAME of an app setting (letters, digits, _ . : -) that holds the secret, not the secret itself; the value given is not shown',
    };
  }
  const shown = input === undefined || typeof input === 'object' ? '' : ` (got ${quoteInput(input)})`;
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unknown key(s) ${unknownKeys(issue.keys)}: remove them or check their spelling` };
  }
  if (issue.code === 'invalid_type' && input === undefined) return { path, message: `is required (${issue.expected})` };
  // Custom messages already quote the value.
  return { path, message: issue.code === 'custom' ? issue.message : issue.message + shown };
}

/** At most MAX_KEYS_NAMED keys, each cut to MAX_KEY_CHARS: a body of a million made-up keys gets a short answer. */
const MAX_KEYS_NAMED = 10;
const MAX_KEY_CHARS = 60;

function unknownKeys(keys: string[]): string {
  const named = keys.slice(0, MAX_KEYS_NAMED).map((k) => `'${k.length <= MAX_KEY_CHARS ? k : `${k.slice(0, MAX_KEY_CHARS)}… (${k.length} characters)`}'`);
  return keys.length > MAX_KEYS_NAMED ? `${named.join(', ')} and ${keys.length - MAX_KEYS_NAMED} more` : named.join(', ');
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    // A record's key may hold dots and slashes (`secrets["caches/default.connectionString"]`): quoted, so the path reads one way.
    if (!/^[A-Za-z_$][\w$]*$/.test(String(key))) return `${acc}[${JSON.stringify(String(key))}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}
