/**
 * The caller's Entra ID access token, validated by the app itself (with `jose`), so that identity does not hang on
 * App Service authentication being in front: the signature against the tenant's published signing keys (RS256
 * only), the issuer in either form Entra issues (v1 `https://sts.windows.net/<tenant>/`, v2
 * `https://login.microsoftonline.com/<tenant>/v2.0`), the audience (the app's client ID, or `api://<client ID>`),
 * the expiry and not-before with a small clock skew, and the app roles in `roles`.
 */
import type { JWTPayload, JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import { UserError } from '../errors';
import { clip } from '../validation';

/** The tenant whose tokens are accepted. */
export const AUTH_TENANT_SETTING = 'APIM_DR_AUTH_TENANT_ID';
/** The client ID (application ID) of apim-dr's app registration: the audience. */
export const AUTH_CLIENT_ID_SETTING = 'APIM_DR_AUTH_CLIENT_ID';
/** Where the tenant's signing keys are published; set only for sovereign clouds and tests. */
export const AUTH_JWKS_URL_SETTING = 'APIM_DR_AUTH_JWKS_URL';
/** Comma-separated issuers to accept instead of the public cloud's v1 and v2 forms (sovereign clouds). */
export const AUTH_ISSUERS_SETTING = 'APIM_DR_AUTH_ISSUERS';

/** Clock skew tolerated on `exp` and `nbf`, as Microsoft's own token middleware allows by default. */
export const CLOCK_SKEW_SECONDS = 300;

export interface TokenSettings {
  tenantId: string;
  clientId: string;
  jwksUrl: string;
  issuers: string[];
}

export interface ValidatedToken {
  objectId: string;
  /** A user's sign-in name; absent for an app-only token. */
  userName?: string;
  /** The calling application's client ID (`azp` in v2 tokens, `appid` in v1). */
  appId?: string;
  roles: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i;

/** The token settings when both tenant and client ID are set; undefined when neither is; a config error otherwise. */
export function tokenSettings(settings: NodeJS.ProcessEnv): TokenSettings | undefined {
  const tenantId = settings[AUTH_TENANT_SETTING]?.trim();
  const clientId = settings[AUTH_CLIENT_ID_SETTING]?.trim();
  if (!tenantId && !clientId) return undefined;
  const problems: string[] = [];
  if (!tenantId || !GUID.test(tenantId)) problems.push(`${AUTH_TENANT_SETTING} must be the tenant ID, a GUID (got '${clip(tenantId ?? '')}')`);
  if (!clientId || !GUID.test(clientId))
    problems.push(`${AUTH_CLIENT_ID_SETTING} must be the app registration's client ID, a GUID (got '${clip(clientId ?? '')}')`);
  const jwksUrl = settings[AUTH_JWKS_URL_SETTING]?.trim() || `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
  let url: URL | undefined;
  try {
    url = new URL(jwksUrl);
  } catch {
    problems.push(`${AUTH_JWKS_URL_SETTING} is not a URL (got '${clip(jwksUrl)}')`);
  }
  // Keys fetched over plain HTTP could be swapped on the way: only loopback (tests) may serve them so.
  if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    problems.push(`${AUTH_JWKS_URL_SETTING} must be https (http only on loopback), got '${clip(jwksUrl)}'`);
  }
  if (problems.length) throw new UserError(`HTTP authentication is misconfigured: ${problems.join('; ')}`, 'config', 'InvalidHttpAuth');
  const issuers = settings[AUTH_ISSUERS_SETTING]?.trim()
    ? settings[AUTH_ISSUERS_SETTING].split(',')
        .map((i) => i.trim())
        .filter(Boolean)
    : [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`];
  return { tenantId: tenantId!, clientId: clientId!, jwksUrl, issuers };
}

const loadJose = () => import('jose');
type Jose = Awaited<ReturnType<typeof loadJose>>;

const keySets = new Map<string, JWTVerifyGetKey>();

async function keySet(url: string): Promise<JWTVerifyGetKey> {
  let keys = keySets.get(url);
  if (!keys) {
    const { createRemoteJWKSet } = await loadJose();
    // jose caches the key set, and fetches it again (at most every 30 s) when a token names a key it lacks: rollover.
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000 });
    keySets.set(url, keys);
  }
  return keys;
}

function unauthenticated(message: string): UserError {
  return new UserError(message, 'unauthenticated', 'Unauthenticated');
}

/** Validates `Authorization: Bearer <token>`; throws a 401 UserError that says what is wrong and how to fix it. */
export async function validateBearerToken(authorization: string, settings: TokenSettings): Promise<ValidatedToken> {
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization);
  if (!match) throw unauthenticated("the Authorization header is not 'Bearer <access token>'");
  const token = match[1]!;
  const jose = await loadJose();
  const audiences = [settings.clientId, `api://${settings.clientId}`];
  let payload: JWTPayload;
  try {
    ({ payload } = await jose.jwtVerify(token, await keySet(settings.jwksUrl), {
      algorithms: ['RS256'],
      issuer: settings.issuers,
      audience: audiences,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ['exp', 'iss', 'aud'],
    }));
  } catch (err) {
    throw explain(err, token, settings, jose);
  }
  const claim = (name: string) => {
    const value = payload[name];
    return typeof value === 'string' && value ? value : undefined;
  };
  const objectId = claim('oid');
  if (!objectId) throw unauthenticated('the access token names no object ID (oid): send an Entra ID access token for a user or an app');
  if (claim('tid') && claim('tid')!.toLowerCase() !== settings.tenantId.toLowerCase()) {
    throw unauthenticated(`the access token is from tenant '${clip(claim('tid')!)}', not ${settings.tenantId}`);
  }
  const roles = Array.isArray(payload['roles']) ? (payload['roles'] as unknown[]).filter((r): r is string => typeof r === 'string') : [];
  const userName = claim('preferred_username') ?? claim('upn') ?? claim('unique_name');
  const appId = claim('azp') ?? claim('appid');
  // An app-only token has no user: `idtyp: app` where Entra adds it, else no delegated scope.
  const appOnly = claim('idtyp') === 'app' || (!claim('scp') && !userName);
  return { objectId, ...(appOnly || !userName ? {} : { userName }), ...(appId ? { appId } : {}), roles };
}

/** Turns jose's failure into what the caller needs to know, naming the claim's value but never echoing the token. */
function explain(err: unknown, token: string, settings: TokenSettings, jose: Jose): UserError | Error {
  const code = (err as { code?: string }).code ?? '';
  let claims: JWTPayload = {};
  try {
    claims = jose.decodeJwt(token);
  } catch {
    // Not even decodable: the message below says so.
  }
  const expected = `api://${settings.clientId} (or ${settings.clientId})`;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return unauthenticated(
        `the access token expired at ${typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'an unknown time'}: get a new one`,
      );
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = (err as { claim?: string }).claim;
      if (claim === 'aud')
        return unauthenticated(
          `the access token is for '${clip(String(claims.aud))}', not apim-dr: get one for ${expected}, e.g. az account get-access-token --resource api://${settings.clientId}`,
        );
      if (claim === 'iss')
        return unauthenticated(`the access token was issued by '${clip(String(claims.iss))}', not by tenant ${settings.tenantId}'s Entra ID`);
      if (claim === 'nbf') return unauthenticated('the access token is not valid yet (nbf): check the clock of the machine that asked for it');
      return unauthenticated(`the access token's '${clip(String(claim))}' claim is missing or invalid`);
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return unauthenticated(`the access token's signature does not verify against tenant ${settings.tenantId}'s published signing keys`);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return unauthenticated(`the access token is signed with a key tenant ${settings.tenantId} does not publish`);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return unauthenticated('the access token is not signed with RS256, as Entra ID signs access tokens');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return unauthenticated('the bearer token is not a valid Entra ID access token');
    default:
      // The key set could not be fetched or read: not the caller's fault, and no reason to let them in.
      return new Error(`cannot validate access tokens: the signing keys at ${settings.jwksUrl} are unavailable (${(err as Error).message})`, {
        cause: err,
      });
  }
}
