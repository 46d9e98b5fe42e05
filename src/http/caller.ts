/**
 * Who is calling, and whether they hold the app role a route needs. With the token settings (tenant and client ID)
 * the app validates the caller's Entra ID bearer token itself (entraToken.ts), with or without App Service
 * authentication in front, and ignores the platform's principal headers. Without them, the caller comes from
 * `x-ms-client-principal`, which App Service strips from incoming requests and sets itself once it has validated
 * the token: trusted only when the platform says its authentication is on. Never from a header or body field the
 * caller controls.
 */
import { z } from 'zod';
import { UserError } from '../errors';
import { clip } from '../validation';
import { AUTH_CLIENT_ID_SETTING, AUTH_TENANT_SETTING, tokenSettings, validateBearerToken, type ValidatedToken } from './entraToken';

/** Each role includes the ones before it: an Operator may read, a Restore holder may also back up and read. */
export const DR_ROLES = ['DR.Reader', 'DR.Operator', 'DR.Restore'] as const;
export type DrRole = (typeof DR_ROLES)[number];

/** `entra-id` (Azure, the default): every route needs a validated caller and a role. `none`: open (the local host). */
export const HTTP_AUTH_SETTING = 'APIM_DR_HTTP_AUTH';
/** Set by App Service when its authentication is on (as Microsoft.Identity.Web reads it). */
export const PLATFORM_AUTH_SETTING = 'WEBSITE_AUTH_ENABLED';
export const PRINCIPAL_HEADER = 'x-ms-client-principal';

export interface Caller {
  /** What the records and logs name: the validated principal (UPN or app ID, with the object ID). */
  requestedBy: string;
  roles: DrRole[];
}

const principalSchema = z.object({
  auth_typ: z.string().optional(),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).max(500),
});

const OBJECT_ID = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const NAME = ['preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'upn', 'name'];
const APP_ID = ['azp', 'appid'];

export async function authorize(headers: { get(name: string): string | null }, settings: NodeJS.ProcessEnv, needed: DrRole): Promise<Caller> {
  const mode = settings[HTTP_AUTH_SETTING] ?? 'entra-id';
  if (mode === 'none') return { requestedBy: 'anonymous (HTTP authentication off)', roles: [...DR_ROLES] };
  if (mode !== 'entra-id') {
    throw new UserError(`app setting ${HTTP_AUTH_SETTING} is '${clip(mode)}'; use 'entra-id' (Azure) or 'none' (local host only)`, 'config', 'InvalidHttpAuth');
  }
  const caller = await identify(headers, settings);
  if (!hasRole(caller.roles, needed)) {
    const held = caller.roles.length ? caller.roles.join(', ') : 'no apim-dr role';
    throw new UserError(
      `${caller.requestedBy} holds ${held}; this needs ${needed}: ask an administrator to assign it on apim-dr's app registration`,
      'forbidden',
      'RoleRequired',
    );
  }
  return caller;
}

/** The validated caller: from the bearer token when the app validates tokens itself, else from the platform's header. */
async function identify(headers: { get(name: string): string | null }, settings: NodeJS.ProcessEnv): Promise<Caller> {
  const tokens = tokenSettings(settings);
  if (tokens) {
    const authorization = headers.get('authorization');
    if (!authorization) {
      throw new UserError(
        `sign in: send 'Authorization: Bearer <access token>' for apim-dr's app registration, e.g. from az account get-access-token --resource api://${tokens.clientId}`,
        'unauthenticated',
        'Unauthenticated',
      );
    }
    return callerOf(await validateBearerToken(authorization, tokens));
  }
  if (!/^true$/i.test(settings[PLATFORM_AUTH_SETTING] ?? '')) {
    // Neither the app nor (as far as it can tell) the platform validates tokens: anyone could write the principal header.
    throw new UserError(
      `no caller can be identified: set ${AUTH_TENANT_SETTING} and ${AUTH_CLIENT_ID_SETTING} so the app validates Entra ID tokens itself ('azd provision' sets them), or turn on App Service authentication`,
      'config',
      'PlatformAuthOff',
    );
  }
  return readPrincipal(headers.get(PRINCIPAL_HEADER));
}

function callerOf(token: ValidatedToken): Caller {
  const roles = token.roles.flatMap((r) => ((DR_ROLES as readonly string[]).includes(r) ? [r as DrRole] : []));
  const who = token.userName ?? (token.appId ? `app:${token.appId}` : `object:${token.objectId}`);
  return { requestedBy: token.userName || token.appId ? `${who} (${token.objectId})` : who, roles };
}

export function hasRole(held: readonly DrRole[], needed: DrRole): boolean {
  return held.some((role) => DR_ROLES.indexOf(role) >= DR_ROLES.indexOf(needed));
}

function readPrincipal(header: string | null): Caller {
  if (!header) throw new UserError('sign in: send an Entra ID access token for apim-dr’s app registration', 'unauthenticated', 'Unauthenticated');
  let parsed: z.output<typeof principalSchema>;
  try {
    parsed = principalSchema.parse(JSON.parse(Buffer.from(header, 'base64').toString('utf8')));
  } catch {
    throw new UserError(`the ${PRINCIPAL_HEADER} header is not a client principal`, 'unauthenticated', 'Unauthenticated');
  }
  const claim = (types: string[]) => types.map((t) => parsed.claims.find((c) => c.typ === t)?.val).find((v) => v);
  const objectId = claim(OBJECT_ID);
  const name = claim(parsed.name_typ ? [parsed.name_typ, ...NAME] : NAME);
  const appId = claim(APP_ID);
  if (!objectId) throw new UserError(`the ${PRINCIPAL_HEADER} header names no object ID`, 'unauthenticated', 'Unauthenticated');
  const roleTypes = new Set(['roles', parsed.role_typ ?? 'roles']);
  const roles = parsed.claims.filter((c) => roleTypes.has(c.typ)).flatMap((c) => ((DR_ROLES as readonly string[]).includes(c.val) ? [c.val as DrRole] : []));
  const who = name ?? (appId ? `app:${appId}` : `object:${objectId}`);
  return { requestedBy: name || appId ? `${who} (${objectId})` : who, roles };
}
