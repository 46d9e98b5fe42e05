/**
 * The local host's edge, tried as a hostile page or process would: the Durable HTTP API and the Event Grid webhook
 * behind the same authentication as /api/*, cross-site text/plain POSTs, foreign Host headers (DNS rebinding),
 * oversized bodies, unknown fields and a body that claims who asked.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_AUTH_SETTING, PLATFORM_AUTH_SETTING } from '../../src/http/caller';
import { EVENT_GRID_KEY_SETTING, LOCAL_HOSTNAMES_SETTING, LOCAL_MAX_BODY_SETTING } from '../../dev/localHost/edgeGuard';
import { startHarness, type Harness } from '../support/harness';
import { principalHeader, READER, RESTORER } from './principal';

const DEV = 'contoso-apim-dev';
const KEY = 'local-event-grid-key-0123456789';
const AUTH_ON = { [HTTP_AUTH_SETTING]: 'entra-id', [PLATFORM_AUTH_SETTING]: 'True' };

interface Raw {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Written in chunks (no Content-Length) when an array. */
  body?: string | string[];
}

/** One request with exactly these headers (fetch would set Host and Content-Type itself). */
function raw(origin: string, r: Raw): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(origin);
  // An empty Host means none at all.
  const { Host, ...rest } = r.headers ?? {};
  const headers = Host === '' ? rest : r.headers;
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: r.method, path: r.path, headers, setHost: Host !== '' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (Array.isArray(r.body)) {
      for (const chunk of r.body) req.write(chunk);
      req.end();
    } else req.end(r.body);
  });
}

const durableStart = (id: string) => `/runtime/webhooks/durabletask/orchestrators/backupOrchestrator/${id}`;
const webhook = '/runtime/webhooks/EventGrid?functionName=onConfigurationChange';

describe('the local host with authentication on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { ...AUTH_ON, [EVENT_GRID_KEY_SETTING]: KEY } });
  });
  afterAll(async () => {
    await h.close();
  });

  const input = () => JSON.stringify({ serviceId: h.sandbox.apim.service(DEV).id, trigger: 'manual', requestedBy: 'mallory', correlationId: 'x' });

  it('answers 401 to a Durable start without a validated principal, and starts nothing', async () => {
    const answer = await raw(h.host.origin, {
      method: 'POST',
      path: durableStart('no-principal'),
      headers: { 'Content-Type': 'application/json' },
      body: input(),
    });
    expect(answer.status).toBe(401);
    expect(h.host.engine.instances.has('no-principal')).toBe(false);
  });

  it('answers 403 to a Durable start by a Reader, who may still read the API', async () => {
    const headers = { 'Content-Type': 'application/json', 'x-ms-client-principal': principalHeader(READER) };
    const answer = await raw(h.host.origin, { method: 'POST', path: durableStart('reader'), headers, body: input() });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error.code).toBe('RoleRequired');
    expect(h.host.engine.instances.has('reader')).toBe(false);
    const list = await raw(h.host.origin, { method: 'GET', path: '/runtime/webhooks/durabletask/instances', headers });
    expect(list.status).toBe(200);
  });

  it('treats a guessed internal Durable URL as the public API', async () => {
    const path = `/runtime/webhooks/durabletask/internal/${'0'.repeat(36)}/orchestrators/backupOrchestrator/guessed`;
    const answer = await raw(h.host.origin, { method: 'POST', path, headers: { 'Content-Type': 'application/json' }, body: input() });
    expect(answer.status).toBe(401);
    expect(h.host.engine.instances.has('guessed')).toBe(false);
  });

  it('still starts orchestrations for a signed-in caller through the functions’ own Durable client', async () => {
    const answer = await raw(h.host.origin, {
      method: 'POST',
      path: '/api/backups',
      headers: { 'Content-Type': 'application/json', 'x-ms-client-principal': principalHeader(RESTORER) },
      body: JSON.stringify({ service: DEV }),
    });
    expect(answer.status).toBe(202);
  });

  it('answers 401 to Event Grid deliveries without the key or with a wrong one, and never shows the key', async () => {
    const events = JSON.stringify([]);
    const none = await raw(h.host.origin, { method: 'POST', path: webhook, headers: { 'Content-Type': 'application/json' }, body: events });
    const wrong = await raw(h.host.origin, { method: 'POST', path: `${webhook}&code=nope`, headers: { 'Content-Type': 'application/json' }, body: events });
    expect([none.status, wrong.status]).toEqual([401, 401]);
    expect(none.text + wrong.text).not.toContain(KEY);
    expect(JSON.stringify(h.logs)).not.toContain(KEY);
  });

  it('accepts Event Grid deliveries with the key as the code parameter or the x-functions-key header', async () => {
    const byCode = await raw(h.host.origin, { method: 'POST', path: `${webhook}&code=${KEY}`, headers: { 'Content-Type': 'application/json' }, body: '[]' });
    const byHeader = await raw(h.host.origin, {
      method: 'POST',
      path: webhook,
      headers: { 'Content-Type': 'application/json', 'x-functions-key': KEY },
      body: '[]',
    });
    expect([byCode.status, byHeader.status]).toEqual([202, 202]);
  });
});

describe('the local host with authentication on and no webhook key configured', () => {
  it('refuses every Event Grid delivery and says which setting to set', async () => {
    const h = await startHarness({ settings: AUTH_ON });
    try {
      const answer = await raw(h.host.origin, { method: 'POST', path: webhook, headers: { 'Content-Type': 'application/json' }, body: '[]' });
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.text).error.message).toContain(EVENT_GRID_KEY_SETTING);
    } finally {
      await h.close();
    }
  });
});

describe('the local host against cross-site and oversized requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ settings: { [LOCAL_HOSTNAMES_SETTING]: 'apim-dr.internal', [LOCAL_MAX_BODY_SETTING]: '4096' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'answers 415 to a %s POST (a cross-site form) and starts nothing',
    async (type) => {
      const answer = await raw(h.host.origin, {
        method: 'POST',
        path: '/api/backups',
        headers: { 'Content-Type': type },
        body: JSON.stringify({ service: DEV }),
      });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.text).error.message).toContain('application/json');
      expect(h.sandbox.apim.count('backup.post')).toBe(0);
    },
  );

  it('answers 415 to a POST body with no Content-Type, on the Durable API too', async () => {
    const answer = await raw(h.host.origin, { method: 'POST', path: durableStart('untyped'), body: '{}' });
    expect(answer.status).toBe(415);
    expect(h.host.engine.instances.has('untyped')).toBe(false);
  });

  it.each([
    ['a foreign name (DNS rebinding)', 'evil.example', 421],
    ['a foreign name with a port', 'evil.example:7201', 421],
    ['no name at all', '', 400],
  ])('answers %s in Host with %i', async (_what, host, status) => {
    const answer = await raw(h.host.origin, { method: 'GET', path: '/api/status', headers: { Host: host } });
    expect(answer.status).toBe(status);
  });

  it.each(['localhost:7201', '127.0.0.1', '[::1]:80', 'APIM-DR.internal:8080'])('serves Host %s (loopback or configured)', async (host) => {
    const answer = await raw(h.host.origin, { method: 'GET', path: '/api/status', headers: { Host: host } });
    expect(answer.status).toBe(200);
  });

  it('answers 413 to a declared body over the limit before reading it', async () => {
    const answer = await raw(h.host.origin, {
      method: 'POST',
      path: '/api/backups',
      headers: { 'Content-Type': 'application/json', 'Content-Length': '5000' },
      body: 'x'.repeat(5000),
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text).error.message).toContain(LOCAL_MAX_BODY_SETTING);
  });

  it('answers 413 to a chunked body as soon as it streams past the limit', async () => {
    const chunks = Array.from({ length: 10 }, () => `"${'y'.repeat(1000)}",`);
    const answer = await raw(h.host.origin, {
      method: 'POST',
      path: durableStart('chunked'),
      headers: { 'Content-Type': 'application/json' },
      body: ['[', ...chunks, '0]'],
    });
    expect(answer.status).toBe(413);
    expect(h.host.engine.instances.has('chunked')).toBe(false);
  });

  it('names unknown body fields in a 400, each cut short, without echoing their values', async () => {
    const longKey = 'k'.repeat(1000);
    const answer = await h.api('POST', '/api/restores/check', { source: DEV, target: DEV, bogus: 'v'.repeat(2000), [longKey]: 1 });
    expect(answer.status).toBe(400);
    const text = JSON.stringify(answer.body);
    expect(text).toContain("'bogus'");
    expect(text).toContain('(1000 characters)');
    expect(text).not.toMatch(/v{100}|k{100}/);
  });

  it.each([
    ['/api/backups', { service: DEV, requestedBy: 'mallory' }],
    ['/api/restores', { source: DEV, target: DEV, confirm: DEV, requestedBy: 'mallory' }],
    ['/api/migrations', { service: DEV, confirm: DEV, requestedBy: 'mallory' }],
  ])('refuses requestedBy in the body of POST %s rather than ignoring it', async (path, body) => {
    const answer = await h.api('POST', path, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.problems).toEqual([{ path: 'requestedBy', message: expect.stringContaining('validated caller') }]);
    expect(h.sandbox.apim.requests.filter((r) => r.kind.endsWith('.post'))).toEqual([]);
  });
});
