/**
 * Issue 27: with APIM_DR_HTTP_AUTH=entra-id and the token settings, the app validates the caller's Entra ID access
 * token itself, without App Service authentication in front (no WEBSITE_AUTH_ENABLED). Tokens are signed here with
 * a local RSA key whose public half is served as a key set over HTTP on loopback, as Entra publishes its keys.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_AUTH_SETTING } from '../../src/http/caller';
import { AUTH_CLIENT_ID_SETTING, AUTH_JWKS_URL_SETTING, AUTH_TENANT_SETTING, tokenSettings } from '../../src/http/entraToken';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { principalHeader, RESTORER } from './principal';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type Key = Awaited<ReturnType<Jose['generateKeyPair']>>['privateKey'];

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const CLIENT_ID = '5e1f0000-1111-4222-8333-444455556666';
const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;
const V2_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const USER_OID = '0b1e0000-0000-4000-8000-00000000000a';
const APP_OID = '0b1e0000-0000-4000-8000-00000000000b';
const PIPELINE_APP = '9a9a0000-0000-4000-8000-00000000000c';

describe('bearer tokens validated by the app', () => {
  let jose: Jose;
  let key: Key;
  let otherKey: Key;
  let keyServer: http.Server;
  let h: Harness;

  beforeAll(async () => {
    jose = await import('jose');
    const pair = await jose.generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await jose.generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
    keyServer = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/${TENANT}/discovery/v2.0/keys`;
    // No WEBSITE_AUTH_ENABLED: nothing in front validates anything.
    h = await startHarness({
      settings: { [HTTP_AUTH_SETTING]: 'entra-id', [AUTH_TENANT_SETTING]: TENANT, [AUTH_CLIENT_ID_SETTING]: CLIENT_ID, [AUTH_JWKS_URL_SETTING]: jwksUrl },
    });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => keyServer.close(resolve));
  });

  const now = () => Math.floor(Date.now() / 1000);
  /** A token as Entra issues it: v1 for `--resource api://<id>` (user), v2 for an app's client credentials. */
  async function token(claims: Record<string, unknown>, options: { signWith?: Key; kid?: string; expiresIn?: number; alg?: string } = {}) {
    const issuedAt = now() - 60;
    return new jose.SignJWT({ tid: TENANT, ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', typ: 'JWT', kid: options.kid ?? 'test-key-1' })
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(now() + (options.expiresIn ?? 3600))
      .sign(options.signWith ?? key);
  }
  const user = (extra: Record<string, unknown> = {}) =>
    token({
      iss: V1_ISSUER,
      aud: `api://${CLIENT_ID}`,
      ver: '1.0',
      oid: USER_OID,
      upn: 'operator@contoso.example',
      scp: 'user_impersonation',
      roles: ['DR.Operator'],
      ...extra,
    });
  const appOnly = (extra: Record<string, unknown> = {}) =>
    token({ iss: V2_ISSUER, aud: CLIENT_ID, ver: '2.0', oid: APP_OID, azp: PIPELINE_APP, idtyp: 'app', roles: ['DR.Reader'], ...extra });

  async function call(method: string, path: string, bearer?: string, body?: unknown, extra: Record<string, string> = {}) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...extra };
    if (bearer !== undefined) headers['Authorization'] = `Bearer ${bearer}`;
    const response = await fetch(`${h.host.origin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : {};
    return { status: response.status, error: json.error, text, body: json as Record<string, unknown> };
  }

  it("accepts a user's v1 token for api://<client id> and records the user as the requester", async () => {
    const answer = await call('POST', '/api/backups', await user(), { service: 'contoso-apim-dev' });
    expect(answer.status, answer.text).toBe(202);
    const instance = await runToCompletion(h, answer.body['id'] as string);
    const { backupName } = instance.output as { backupName: string };
    expect((await h.services.catalog.read(backupName))!.manifest.requestedBy).toBe(`operator@contoso.example (${USER_OID})`);
  });

  it('accepts an app-only v2 token whose audience is the client ID, naming the app', async () => {
    const answer = await call('GET', '/api/status', await appOnly());
    expect(answer.status, answer.text).toBe(200);
    const backup = await call('POST', '/api/backups', await appOnly({ roles: ['DR.Operator'] }), { service: 'contoso-apim-dev' });
    expect(backup.status, backup.text).toBe(202);
    const instance = await runToCompletion(h, backup.body['id'] as string);
    const { backupName } = instance.output as { backupName: string };
    expect((await h.services.catalog.read(backupName))!.manifest.requestedBy).toBe(`app:${PIPELINE_APP} (${APP_OID})`);
  });

  it('refuses an expired token with 401 and says when it expired', async () => {
    const expiredAt = now() - 3600;
    const expired = await token({ iss: V1_ISSUER, aud: `api://${CLIENT_ID}`, oid: USER_OID, roles: ['DR.Reader'] }, { expiresIn: -3600 });
    const answer = await call('GET', '/api/status', expired);
    expect(answer.status).toBe(401);
    expect(answer.error).toMatchObject({ code: 'Unauthenticated' });
    expect(answer.error!.message).toBe(`the access token expired at ${new Date(expiredAt * 1000).toISOString()}: get a new one`);
  });

  it('accepts a token that expired within the five-minute clock skew', async () => {
    const justExpired = await token({ iss: V1_ISSUER, aud: `api://${CLIENT_ID}`, oid: USER_OID, roles: ['DR.Reader'] }, { expiresIn: -120 });
    expect((await call('GET', '/api/status', justExpired)).status).toBe(200);
  });

  it('refuses a token for another audience with 401, naming it and the audience to ask for', async () => {
    const answer = await call('GET', '/api/status', await user({ aud: 'https://management.azure.com' }));
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toContain("the access token is for 'https://management.azure.com', not apim-dr");
    expect(answer.error!.message).toContain(`--resource api://${CLIENT_ID}`);
  });

  it("refuses a token issued by another tenant's Entra ID with 401", async () => {
    const other = 'https://sts.windows.net/00000000-0000-4000-8000-000000000999/';
    const answer = await call('GET', '/api/status', await user({ iss: other }));
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toBe(`the access token was issued by '${other}', not by tenant ${TENANT}'s Entra ID`);
  });

  it('refuses a forged signature (another key under the published key ID) with 401', async () => {
    const forged = await token({ iss: V1_ISSUER, aud: `api://${CLIENT_ID}`, oid: USER_OID, roles: ['DR.Restore'] }, { signWith: otherKey });
    const answer = await call('POST', '/api/backups', forged, { service: 'contoso-apim-dev' });
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toBe(`the access token's signature does not verify against tenant ${TENANT}'s published signing keys`);
  });

  it('refuses a token signed with a key the tenant does not publish with 401', async () => {
    const answer = await call(
      'GET',
      '/api/status',
      await token({ iss: V1_ISSUER, aud: `api://${CLIENT_ID}`, oid: USER_OID }, { signWith: otherKey, kid: 'unknown' }),
    );
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toBe(`the access token is signed with a key tenant ${TENANT} does not publish`);
  });

  it("refuses an unsigned token ('alg: none') and a token that is not a JWT with 401", async () => {
    const [header, payload] = (await user()).split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect(header).toBeDefined();
    for (const bad of [unsigned, 'not-a-token']) {
      const answer = await call('GET', '/api/status', bad);
      expect(answer.status, bad).toBe(401);
      expect(answer.error!.code).toBe('Unauthenticated');
    }
  });

  it('refuses a valid token without any apim-dr role with 403, naming the role it needs', async () => {
    const answer = await call('GET', '/api/status', await user({ roles: undefined }));
    expect(answer.status).toBe(403);
    expect(answer.error).toMatchObject({ code: 'RoleRequired' });
    expect(answer.error!.message).toBe(
      `operator@contoso.example (${USER_OID}) holds no apim-dr role; this needs DR.Reader: ask an administrator to assign it on apim-dr's app registration`,
    );
  });

  it('answers 401 with how to get a token when none is sent, and ignores a principal header', async () => {
    const answer = await call(
      'POST',
      '/api/restores',
      undefined,
      { source: 'contoso-apim-weu', target: 'contoso-apim-neu' },
      { 'x-ms-client-principal': principalHeader(RESTORER) },
    );
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toContain(`az account get-access-token --resource api://${CLIENT_ID}`);
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });
});

describe('token settings', () => {
  it('refuse a JWKS URL over plain http anywhere but loopback, and GUIDs that are not', () => {
    expect(() =>
      tokenSettings({ [AUTH_TENANT_SETTING]: TENANT, [AUTH_CLIENT_ID_SETTING]: CLIENT_ID, [AUTH_JWKS_URL_SETTING]: 'http://keys.example/keys' }),
    ).toThrow(/must be https/);
    expect(() => tokenSettings({ [AUTH_TENANT_SETTING]: 'contoso', [AUTH_CLIENT_ID_SETTING]: CLIENT_ID })).toThrow(/must be the tenant ID/);
    expect(tokenSettings({ [AUTH_TENANT_SETTING]: TENANT, [AUTH_CLIENT_ID_SETTING]: CLIENT_ID })).toEqual({
      tenantId: TENANT,
      clientId: CLIENT_ID,
      jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      issuers: [V1_ISSUER, V2_ISSUER],
    });
  });
});
