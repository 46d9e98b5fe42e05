/**
 * The secrets a snapshot leaves out that an apply can be given, each named `<resource path>.<field>` exactly as the
 * snapshot lists it (`backends/orders.credentials.header.x-api-key`, `identityProviders/aad.clientSecret`; a named
 * value's is its path alone): which fields may be supplied, the flag that supplies one, and how it is set. Pure.
 */
import { REDACTED, type NotCaptured } from './captureResource';
import { kindOfPath, typeOfPath } from './resourceTypes';

/** Per type, the left-out fields apim-dr writes when given; a policy's literal secret is not among them (no field names it). */
const SUPPLIABLE: Record<string, RegExp> = {
  namedValues: /^value$/,
  backends: /^(credentials\.(header|query)\..+|credentials\.authorization\.parameter|proxy\.password)$/,
  loggers: /^credentials\..+$/,
  identityProviders: /^clientSecret$/,
  authorizationServers: /^(clientSecret|resourceOwnerUsername|resourceOwnerPassword)$/,
  openidConnectProviders: /^clientSecret$/,
  subscriptions: /^(primaryKey|secondaryKey)$/,
  certificates: /^(data|password)$/,
  caches: /^connectionString$/,
};

/** The fields one not-captured entry names (`data, password` → both). */
export function fieldsOf(entry: NotCaptured): string[] {
  return entry.what.split(', ');
}

export function isSuppliable(path: string, field: string): boolean {
  const label = kindOfPath(path);
  return !!label && !!SUPPLIABLE[label]?.test(field);
}

/** How the operator names one secret: a named value by its path, anything else by `<path>.<field>`. */
export function secretPath(path: string, field: string): string {
  return kindOfPath(path) === 'namedValues' && field === 'value' ? path : `${path}.${field}`;
}

/** The exact flags that supply these fields, for a finding's fix. */
export function supplyFlags(path: string, fields: readonly string[]): string {
  const flags = fields.filter((f) => isSuppliable(path, f)).map((f) => `--set ${secretPath(path, f)}=env:<VARIABLE>`);
  if (flags.length === 0) return '';
  const file = kindOfPath(path) === 'certificates' ? ' or =file:<path> (a .pfx file is read as bytes)' : ' or =file:<path>';
  return `${flags.join(' ')}${file}; HTTP: "set": [{ "path": "${secretPath(
    path,
    fields.find((f) => isSuppliable(path, f))!,
  )}", "setting": "APIM_DR_SECRET_…" }]`;
}

/** `properties` with one supplied field set: a redacted header or query value replaced, any other field written as given. */
export function setSecretField(properties: Record<string, unknown>, field: string, value: string): Record<string, unknown> {
  const out = structuredClone(properties);
  const bag = /^credentials\.(header|query)\.(.+)$/.exec(field);
  if (bag) {
    const credentials = (out.credentials ??= {}) as Record<string, unknown>;
    const values = (credentials[bag[1]!] ??= {}) as Record<string, unknown>;
    const list = Array.isArray(values[bag[2]!]) ? (values[bag[2]!] as unknown[]) : [];
    values[bag[2]!] = list.includes(REDACTED) ? list.map((v) => (v === REDACTED ? value : v)) : [...list, value];
    return out;
  }
  setDottedField(out, field, value);
  return out;
}

/** Sets `a.b.c` in `properties` (in place), making the objects on the way. */
export function setDottedField(properties: Record<string, unknown>, field: string, value: unknown): void {
  const keys = field.split('.');
  let at: Record<string, unknown> = properties;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    at = (at[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
  }
  at[keys.at(-1)!] = value;
}

/**
 * The app settings a secret may be read from by name, over HTTP and in the config: `APIM_DR_SECRET_…` only, so neither
 * a caller nor the config can copy the app's own settings (its config, storage, webhooks) into an instance.
 */
export const SECRET_SETTING = /^APIM_DR_SECRET_[A-Za-z0-9_]+$/;

/**
 * An app setting App Service could not resolve: when a Key Vault reference fails (no access, no such secret), the app
 * reads the reference text itself. Written into an instance it would be a wrong secret, so it is treated as not set.
 */
export function isUnresolvedReference(value: string): boolean {
  return /^\s*@Microsoft\.KeyVault\(/i.test(value);
}

/** What to do about a setting whose Key Vault reference did not resolve. */
export const UNRESOLVED_REFERENCE_FIX =
  "give the app's identity 'Key Vault Secrets User' on the vault and check the reference's secret URI (App Service retries a failed reference within a day, or at the app's restart)";

/**
 * A secret's name, `namedValues/<name>` or `<type>/<name>.<field>`, split into the resource and the field when it names
 * something apim-dr can supply (a name may hold dots: the first split that names a suppliable field wins); else undefined.
 */
export function parseSecretPath(text: string): { path: string; field: string } | undefined {
  if (!/^[A-Za-z]+\/[^/]+(\/[A-Za-z]+\/[^/]+)*$/.test(text)) return undefined;
  if (kindOfPath(text) === 'namedValues') return { path: text, field: 'value' };
  const last = text.lastIndexOf('/');
  for (let dot = text.indexOf('.', last + 2); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    const path = text.slice(0, dot);
    const field = text.slice(dot + 1);
    if (typeOfPath(path) && isSuppliable(path, field)) return { path, field };
  }
  return undefined;
}
