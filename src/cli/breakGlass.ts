/**
 * The break-glass operator's Azure identity, for the records: the claims of the ARM token their own credential gets
 * (the CLI runs in process with the person's Azure rights). Only names and IDs are kept; the token never is.
 */
import type { TokenCredential } from '@azure/core-auth';
import { createCredential } from '../azure/credential';
import type { Services } from '../services';
import type { RequestOrigin } from '../workflows/approval/startRecorded';
import type { Output } from './output';

/**
 * How the CLI's requests are recorded. With --break-glass, the operator's identity is read first, and the CLI says
 * plainly that no second approval will be asked (the request record says so too, when one was needed).
 */
export async function cliOrigin(services: Services, breakGlass: boolean, out: Output): Promise<Omit<RequestOrigin, 'requestedBy'>> {
  if (!breakGlass) return { via: 'cli' };
  const operator = await operatorIdentity(createCredential(services.config, services.clock), `${services.config.arm.endpoint}/.default`);
  // On stderr, so that it shows with --json too.
  out.error(`break-glass as ${operator}: no second approval is asked for what needs one; your identity is recorded with the request`);
  return { via: 'cli', breakGlass: { operator } };
}

export async function operatorIdentity(credential: TokenCredential, scope: string): Promise<string> {
  const token = await credential.getToken(scope);
  if (!token) return 'unknown (the credential returned no token)';
  const claims = jwtClaims(token.token);
  if (!claims) return 'unknown (the credential’s token carries no claims: a sandbox or opaque token)';
  const text = (key: string) => (typeof claims[key] === 'string' ? claims[key] : undefined);
  const name = text('upn') ?? text('preferred_username') ?? text('unique_name') ?? (text('appid') ? `app:${text('appid')}` : undefined);
  const oid = text('oid');
  const tenant = text('tid');
  const who = name ?? (oid ? `object:${oid}` : 'unknown');
  return [who, oid && name ? `(${oid})` : undefined, tenant ? `tenant ${tenant}` : undefined].filter(Boolean).join(' ');
}

/** The payload of a JWT, unverified: it names who the token was issued to; Azure verifies it, not us. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const [, payload] = token.split('.');
  if (!payload || token.split('.').length !== 3) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
