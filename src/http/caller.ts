/**
 * Who is calling, as App Service authentication validated it, and whether they hold the app role a route needs.
 * The caller comes from `x-ms-client-principal`, which the platform strips from incoming requests and sets itself
 * once it has validated the Entra ID token; it is trusted only when the platform says authentication is on.
 * Never from a header or body field the caller controls.
 */
import { z } from 'zod';
import { UserError } from '../errors';
import { clip } from '../validation';

/** Each role includes the ones before it: an Operator may read, a Restore holder may also back up and read. */
export const DR_ROLES = ['DR.Reader', 'DR.Operator', 'DR.Restore'] as const;
export type DrRole = (typeof DR_ROLES)[number];

/** `entra-id` (Azure, the default): every route needs a validated caller and a role. `none`: open (the local host). */
export const HTTP_AUTH_SETTING = 'APIM_DR_HTTP_AUTH';
export const HTTP_AUTH_MODES = ['entra-id', 'none'] as const;
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

export function authorize(headers: { get(name: string): string | null }, settings: NodeJS.ProcessEnv, needed: DrRole): Caller {
  const mode = settings[HTTP_AUTH_SETTING] ?? 'entra-id';
  if (mode === 'none') return { requestedBy: 'anonymous (HTTP authentication off)', roles: [...DR_ROLES] };
  if (mode !== 'entra-id') {
    throw new UserError(`app setting ${HTTP_AUTH_SETTING} is '${clip(mode)}'; use 'entra-id' (Azure) or 'none' (local host only)`, 'config', 'InvalidHttpAuth');
  }
  if (!/^true$/i.test(settings[PLATFORM_AUTH_SETTING] ?? '')) {
    // Without the platform in front, anyone could write the principal header: trust none, answer nothing.
    throw new UserError(
      "App Service authentication is off for this app, so no caller can be identified: turn it on ('azd provision' sets authsettingsV2)",
      'config',
      'PlatformAuthOff',
    );
  }
  const caller = readPrincipal(headers.get(PRINCIPAL_HEADER));
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
