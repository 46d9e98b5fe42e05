/**
 * Turns one resource as ARM returned it into what a snapshot keeps: read-only fields dropped, references to the
 * source instance made relative, and no secret in clear — secrets are left out and named (facts §3, §4).
 */
import { kindOf, LINK_REFERENCE_FIELDS, REFERENCE_FIELDS, type ResourceType } from './resourceTypes';

/** What replaces a literal secret in a backend or a policy; apply never writes a resource still carrying it. */
export const REDACTED = 'APIM-DR-REDACTED';

export interface SnapshotResource {
  /** ARM path relative to the service: `apis/orders/operations/get-order`. */
  path: string;
  /** Absent on links (`products/p/apis/a`), whose PUT has no body. */
  properties?: Record<string, unknown>;
}

export interface NotCaptured {
  path: string;
  /** What was left out (`value`, `primaryKey`, a policy's literal header…). */
  what: string;
  reason: string;
  fix: string;
}

export interface Captured {
  resource?: SnapshotResource;
  notCaptured: NotCaptured[];
}

const READ_ONLY: Record<string, string[]> = {
  '*': ['provisioningState', 'createdDate'],
  // `sourceApiId` only says what a new API or revision is copied from: apply names the target's own.
  apis: ['isCurrent', 'isOnline', 'sourceApiId'],
  'apis/*/releases': ['createdDateTime', 'updatedDateTime'],
  groups: ['builtIn'],
  users: ['registrationDate', 'groups', 'identities'],
  subscriptions: ['createdDate', 'startDate', 'expirationDate', 'endDate', 'notificationDate'],
  certificates: ['subject', 'thumbprint', 'expirationDate'],
  // A tag description's GET echoes its tag (ID and name); the PUT takes neither (TagDescriptionBaseProperties).
  'apis/*/tagDescriptions': ['tagId', 'displayName'],
};

/**
 * The secret named value APIM makes of a cache's connection string (or an Application Insights key): named by a
 * 24-hex ID, referenced as `{{<id>}}`, re-created by the PUT that supplies the secret (apiops-cli leaves these out too).
 */
const AUTO_NAMED_VALUE = /^[0-9a-f]{24}$/i;

const SECRET_HEADERS = /^(authorization|ocp-apim-subscription-key|x-functions-key|api-key|x-api-key)$/i;
const SECRET_QUERY = /^(code|sig|subscription-key|api-key)$/i;

export function captureResource(type: ResourceType, path: string, properties: Record<string, unknown> | undefined, sourceId: string): Captured {
  if (type.linkTo) return { resource: { path }, notCaptured: [] };
  const kept: Record<string, unknown> = structuredClone(properties ?? {});
  // A workspace's resources follow the service's rules for their kind (its named values as the service's, …).
  const kind = kindOf(type);
  for (const field of [...READ_ONLY['*']!, ...(READ_ONLY[kind] ?? [])]) delete kept[field];
  makeReferencesRelative(kept, sourceId);
  const notCaptured: NotCaptured[] = [];
  const leaveOut = (what: string, reason: string, fix: string) => notCaptured.push({ path, what, reason, fix });

  switch (kind) {
    case 'namedValues': {
      if (AUTO_NAMED_VALUE.test(path.split('/').pop()!)) return { notCaptured };
      const keyVault = kept.keyVault as Record<string, unknown> | undefined;
      if (keyVault) {
        delete keyVault.lastStatus;
        delete kept.value;
      } else if (kept.secret === true) {
        delete kept.value;
        leaveOut('value', 'secret named value: not captured', 'move it to Key Vault or supply it at apply');
      }
      break;
    }
    case 'subscriptions':
      delete kept.primaryKey;
      delete kept.secondaryKey;
      leaveOut('primaryKey, secondaryKey', 'subscription keys are not captured', 'apply generates new keys: hand them to the subscribers');
      break;
    case 'users':
      delete kept.password;
      break;
    case 'certificates':
      delete kept.data;
      delete kept.password;
      if (!kept.keyVault) {
        // Nothing else of it is writable: an apply given its PFX writes it from that alone.
        leaveOut(
          'data, password',
          'certificate private key: not captured',
          'keep the certificate in Key Vault (keyVault.secretIdentifier), or supply the PFX and its password at apply',
        );
        return { notCaptured };
      }
      delete (kept.keyVault as Record<string, unknown>).lastStatus;
      break;
    case 'identityProviders':
    case 'authorizationServers':
    case 'openidConnectProviders':
      delete kept.clientSecret;
      leaveOut('clientSecret', 'client secret: not captured', 'supply the client secret at apply');
      // The resource owner's credentials go with the grant that uses them (listSecrets returns them; GET never does).
      delete kept.resourceOwnerUsername;
      delete kept.resourceOwnerPassword;
      if (Array.isArray(kept.grantTypes) && kept.grantTypes.includes('resourceOwnerPassword'))
        leaveOut('resourceOwnerUsername, resourceOwnerPassword', 'resource owner credentials: not captured', 'supply them at apply');
      break;
    case 'backends':
      redactBackendCredentials(kept, (what) => leaveOut(what, 'literal credential in a backend: redacted', 'reference a named value (Key Vault) instead'));
      break;
    case 'caches': {
      // ARM answers `{{<24-hex>}}` (its own secret named value) or nothing: only a `{{name}}` of the operator's is kept.
      const reference = typeof kept.connectionString === 'string' ? /^\{\{([^{}]+)\}\}$/.exec(kept.connectionString.trim())?.[1] : undefined;
      if (!reference || AUTO_NAMED_VALUE.test(reference)) {
        delete kept.connectionString;
        leaveOut(
          'connectionString',
          'cache connection string: not captured',
          "supply it at apply (the cache's access key), or keep it in a Key Vault named value the cache names",
        );
      }
      break;
    }
    case 'loggers':
      redactLoggerCredentials(kept, (what) => leaveOut(what, 'logger credential: redacted', 'supply the logger key on the target (a named value)'));
      break;
  }
  if (type.policy && typeof kept.value === 'string') {
    kept.value = redactPolicy(kept.value, (what) => leaveOut(what, 'literal secret in a policy: redacted', 'reference a named value (Key Vault) instead'));
    kept.format = 'rawxml';
  }
  return { resource: { path, properties: kept }, notCaptured };
}

/** True for `{{name}}` alone or a policy expression: nothing secret is written literally there. */
function isReference(value: string): boolean {
  const trimmed = value.trim();
  return /^\{\{[^{}]+\}\}$/.test(trimmed) || trimmed.startsWith('@') || trimmed === REDACTED || trimmed === '';
}

function redactBackendCredentials(properties: Record<string, unknown>, report: (what: string) => void): void {
  const credentials = properties.credentials as Record<string, unknown> | undefined;
  for (const bag of ['header', 'query'] as const) {
    const values = credentials?.[bag] as Record<string, string[]> | undefined;
    for (const [name, list] of Object.entries(values ?? {})) {
      if (!Array.isArray(list)) continue;
      values![name] = list.map((v) => (isReference(String(v)) ? v : (report(`credentials.${bag}.${name}`), REDACTED)));
    }
  }
  const authorization = credentials?.authorization as Record<string, unknown> | undefined;
  if (typeof authorization?.parameter === 'string' && !isReference(authorization.parameter)) {
    authorization.parameter = REDACTED;
    report('credentials.authorization.parameter');
  }
  const proxy = properties.proxy as Record<string, unknown> | undefined;
  if (typeof proxy?.password === 'string' && !isReference(proxy.password)) {
    proxy.password = REDACTED;
    report('proxy.password');
  }
}

function redactLoggerCredentials(properties: Record<string, unknown>, report: (what: string) => void): void {
  const credentials = properties.credentials as Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(credentials ?? {})) {
    // `{{<24-hex>}}` names the named value APIM made of the key, which a snapshot leaves out: the key is supplied instead.
    const own = typeof value === 'string' && AUTO_NAMED_VALUE.test(/^\{\{([^{}]+)\}\}$/.exec(value.trim())?.[1] ?? '');
    if (typeof value === 'string' && (!isReference(value) || own)) {
      credentials![name] = REDACTED;
      report(`credentials.${name}`);
    }
  }
}

/** Replaces literal secrets in policy XML (headers, query parameters, basic/certificate auth, keys, connection strings). */
export function redactPolicy(xml: string, report: (what: string) => void): string {
  const literal = (value: string, what: string) => (isReference(value) ? value : (report(what), REDACTED));
  return xml
    .replace(
      /(<set-(header|query-parameter)\s[^>]*name="([^"]+)"[^>]*>)([\s\S]*?)(<\/set-\2>)/g,
      (all, open: string, kind: string, name: string, inner: string, close: string) => {
        const secret = kind === 'header' ? SECRET_HEADERS.test(name) : SECRET_QUERY.test(name);
        if (!secret) return all;
        return (
          open + inner.replace(/(<value>)([\s\S]*?)(<\/value>)/g, (_m, a: string, v: string, b: string) => a + literal(v, `set-${kind} ${name}`) + b) + close
        );
      },
    )
    .replace(
      /(<authentication-(?:basic|certificate)\s[^>]*?\b(password|body)=")([^"]*)(")/g,
      (_m, a: string, attr: string, v: string, b: string) => a + literal(v, `authentication ${attr}`) + b,
    )
    .replace(/(<key(?:\s[^>]*)?>)([^<]+)(<\/key>)/g, (_m, a: string, v: string, b: string) => a + literal(v, 'validate-jwt key') + b)
    .replace(/\b(AccountKey|SharedAccessKey)=([^;"<\s]+)/g, (_m, k: string, v: string) => `${k}=${literal(v, k)}`);
}

function makeReferencesRelative(properties: Record<string, unknown>, sourceId: string): void {
  const relative = (value: unknown) =>
    typeof value === 'string' && value.toLowerCase().startsWith(`${sourceId.toLowerCase()}/`) ? value.slice(sourceId.length) : value;
  for (const field of [...REFERENCE_FIELDS, ...LINK_REFERENCE_FIELDS]) if (field in properties) properties[field] = relative(properties[field]);
  const pool = properties.pool as { services?: { id?: string }[] } | undefined;
  for (const member of pool?.services ?? []) member.id = relative(member.id) as string;
  const credentials = properties.credentials as { certificateIds?: string[] } | undefined;
  if (Array.isArray(credentials?.certificateIds)) credentials.certificateIds = credentials.certificateIds.map((id) => relative(id) as string);
}

/** The inverse at apply: relative references made full IDs of the target. */
export function makeReferencesAbsolute(properties: Record<string, unknown>, targetId: string): Record<string, unknown> {
  const out = structuredClone(properties);
  const absolute = (value: unknown) =>
    typeof value === 'string' && value.startsWith('/') && !value.startsWith('/subscriptions/') ? `${targetId}${value}` : value;
  for (const field of [...REFERENCE_FIELDS, ...LINK_REFERENCE_FIELDS]) if (field in out) out[field] = absolute(out[field]);
  const pool = out.pool as { services?: { id?: string }[] } | undefined;
  for (const member of pool?.services ?? []) member.id = absolute(member.id) as string;
  const credentials = out.credentials as { certificateIds?: string[] } | undefined;
  if (Array.isArray(credentials?.certificateIds)) credentials.certificateIds = credentials.certificateIds.map((id) => absolute(id) as string);
  return out;
}
