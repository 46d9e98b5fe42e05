/**
 * Entra ID roles on every route, with App Service authentication emulated on loopback: no validated principal is
 * a 401, a principal without the route's role a 403, and the records name the validated principal whatever a
 * header or the body claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_AUTH_SETTING, PLATFORM_AUTH_SETTING } from '../../src/http/caller';
import { platformHeaders } from '../../dev/localHost/LocalHost';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { NO_ROLE, OPERATOR, PIPELINE, principalHeader, READER, RESTORER, type TestPrincipal } from './principal';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';

/** Every HTTP route with a body it accepts, and the least role it needs. */
const ROUTES: [string, string, unknown, 'DR.Reader' | 'DR.Operator' | 'DR.Restore'][] = [
  ['GET', '/api/status', undefined, 'DR.Reader'],
  ['GET', '/api/dashboard', undefined, 'DR.Reader'],
  ['GET', '/api/backups', undefined, 'DR.Reader'],
  ['GET', '/api/restores', undefined, 'DR.Reader'],
  ['GET', '/api/describe?name=restores/contoso-apim-neu.20260301T020000Z.json', undefined, 'DR.Reader'],
  ['GET', '/api/operations/backup-contoso-apim-dev-00000000', undefined, 'DR.Reader'],
  ['GET', '/api/operations/contoso-apim-neu.20260301T020000Z/logs', undefined, 'DR.Reader'],
  ['POST', '/api/restores/check', { source: WEU, target: NEU }, 'DR.Reader'],
  ['POST', '/api/backups', { service: 'contoso-apim-dev' }, 'DR.Operator'],
  ['POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU }, 'DR.Restore'],
  ['POST', '/api/migrations/check', { service: 'contoso-apim-dev' }, 'DR.Reader'],
  ['POST', '/api/migrations', { service: 'contoso-apim-dev', confirm: 'contoso-apim-dev' }, 'DR.Restore'],
  ['POST', '/api/snapshots', { service: 'contoso-apim-dev' }, 'DR.Operator'],
  ['GET', '/api/snapshots', undefined, 'DR.Reader'],
  ['POST', '/api/snapshots/apply/check', { snapshot: 'contoso-apim-weu.20260301T000000Z.manual', target: NEU }, 'DR.Reader'],
  ['POST', '/api/snapshots/apply', { snapshot: 'contoso-apim-weu.20260301T000000Z.manual', target: NEU, confirm: NEU }, 'DR.Restore'],
];
const RANK = { 'DR.Reader': 0, 'DR.Operator': 1, 'DR.Restore': 2 };

describe('roles on every route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { [HTTP_AUTH_SETTING]: 'entra-id', [PLATFORM_AUTH_SETTING]: 'True' } });
    // A backup to restore, taken past the HTTP API (which now wants a principal).
    h.host.engine.start('backupOrchestrator', 'seed-backup', {
      serviceId: h.sandbox.apim.service(WEU).id,
      trigger: 'manual',
      requestedBy: 'test',
      correlationId: 'seed',
    });
    await runToCompletion(h, 'seed-backup');
  });
  afterAll(async () => {
    await h.close();
  });

  async function call(method: string, path: string, body: unknown, principal?: TestPrincipal, extra: Record<string, string> = {}) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...extra };
    if (principal) headers['x-ms-client-principal'] = principalHeader(principal);
    const response = await fetch(`${h.host.origin}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, text };
  }

  it.each(ROUTES)('%s %s: 401 without a validated principal', async (method, path, body) => {
    const answer = await call(method, path, body);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text).error.code).toBe('Unauthenticated');
  });

  it.each(ROUTES)('%s %s: 401 with a principal header that is not one', async (method, path, body) => {
    const answer = await call(method, path, body, undefined, { 'x-ms-client-principal': 'bm90IGpzb24=' });
    expect(answer.status).toBe(401);
  });

  it.each(ROUTES)('%s %s: 403 for a principal without any apim-dr role', async (method, path, body) => {
    const answer = await call(method, path, body, NO_ROLE);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error).toMatchObject({ code: 'RoleRequired' });
  });

  for (const [who, principal, rank] of [
    ['a Reader', READER, 0],
    ['an Operator', OPERATOR, 1],
  ] as const) {
    it.each(ROUTES.filter((r) => RANK[r[3]] > rank))(`%s %s: 403 for ${who}`, async (method, path, body) => {
      const answer = await call(method, path, body, principal);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain(principal.upn!);
    });
  }

  it.each(ROUTES.filter((r) => r[3] === 'DR.Reader' && r[0] === 'GET'))('%s %s: allowed for a Reader', async (method, path, body) => {
    const answer = await call(method, path, body, READER);
    expect([200, 404]).toContain(answer.status);
  });

  it('refuses a body that claims who asked, naming the field', async () => {
    const answer = await call('POST', '/api/backups', { service: 'contoso-apim-dev', requestedBy: 'mallory' }, OPERATOR);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error.problems).toEqual([{ path: 'requestedBy', message: expect.stringContaining('never from the body') }]);
  });

  it('records the validated principal of a backup, not the name a header claims', async () => {
    const answer = await call('POST', '/api/backups', { service: 'contoso-apim-dev' }, OPERATOR, { 'x-ms-client-principal-name': 'mallory' });
    expect(answer.status).toBe(202);
    const instance = await runToCompletion(h, JSON.parse(answer.text).id);
    const { backupName } = instance.output as { backupName: string };
    const manifest = (await h.services.catalog.read(backupName))!.manifest;
    expect(manifest.requestedBy).toBe(`operator@contoso.example (${OPERATOR.objectId})`);
  });

  it('names an app by its client ID when it has no user name', async () => {
    const answer = await call('POST', '/api/backups', { service: 'contoso-apim-dev' }, PIPELINE);
    expect(answer.status).toBe(202);
    const instance = await runToCompletion(h, JSON.parse(answer.text).id);
    const manifest = (await h.services.catalog.read((instance.output as { backupName: string }).backupName))!.manifest;
    expect(manifest.requestedBy).toBe(`app:${PIPELINE.appId} (${PIPELINE.objectId})`);
  });

  it('lets a Restore holder restore, and records who did it', async () => {
    const answer = await call('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU }, RESTORER, { 'x-ms-client-principal-name': 'mallory' });
    expect(answer.status).toBe(202);
    const summary = (await runToCompletion(h, JSON.parse(answer.text).id)).output as RestoreSummary;
    expect(summary.state).toBe('succeeded');
    const record = (await h.services.restores.read(summary.recordName))!.record;
    expect(record.requestedBy).toBe(`restorer@contoso.example (${RESTORER.objectId})`);
  });
});

describe('when the platform does not validate callers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { [HTTP_AUTH_SETTING]: 'entra-id' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('trusts no principal header at all, and says why, without running the route', async () => {
    const response = await fetch(`${h.host.origin}/api/backups`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-ms-client-principal': principalHeader(RESTORER) },
      body: JSON.stringify({ service: 'contoso-apim-dev' }),
    });
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PlatformAuthOff');
    expect(h.sandbox.apim.count('backup.post')).toBe(0);
  });
});

describe('the local host as App Service', () => {
  it('strips principal headers that arrive from anywhere but loopback, as the platform strips forged ones', () => {
    const incoming = { 'x-ms-client-principal': 'forged', 'x-ms-client-principal-name': 'mallory', 'content-type': 'application/json' };
    expect(platformHeaders(incoming, '10.1.2.3')).toEqual({ 'content-type': 'application/json' });
    expect(platformHeaders(incoming, '::ffff:192.168.1.9')).toEqual({ 'content-type': 'application/json' });
    expect(platformHeaders(incoming, '127.0.0.1')).toEqual(incoming);
    expect(platformHeaders(incoming, '::1')).toEqual(incoming);
  });
});
