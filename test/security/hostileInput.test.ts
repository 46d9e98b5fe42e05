/**
 * The hostile user, past authentication: oversized fields, forged orchestration inputs through the Durable HTTP API,
 * and a misconfigured app whose config holds a secret where a setting's NAME belongs. Every answer is bounded, names
 * the problem, and gives nothing away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { forgedRollback } from '../support/forgedRollback';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const HUGE = 'x'.repeat(5_000_000);

describe('oversized and forged input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['POST /api/backups, service', 'POST', '/api/backups', { service: HUGE }],
    ['POST /api/restores/check, backup', 'POST', '/api/restores/check', { source: WEU, target: NEU, backup: HUGE }],
    ['POST /api/restores, source', 'POST', '/api/restores', { source: HUGE, target: NEU, confirm: NEU }],
    ['POST /api/restores, confirm', 'POST', '/api/restores', { source: WEU, target: NEU, confirm: HUGE }],
    // A URL stays under Node's 16 KB header limit (past it, Node answers 431 with no body at all).
    ['GET /api/operations/{id}, id', 'GET', `/api/operations/${'a'.repeat(10_000)}`, undefined],
  ])('%s: a huge field gets a short 4xx that quotes at most 200 characters of it', async (_name, method, path, body) => {
    if (path === '/api/restores/check') await backupNow(h, WEU);
    const response = await h.api(method, path, body);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const text = JSON.stringify(response.body);
    expect(text.length).toBeLessThan(2_000);
    expect(text).not.toMatch(/x{201}|a{201}/);
  });

  it('refuses a rollback forged through the Durable HTTP API before any ARM call', async () => {
    const { backupName } = await backupNow(h, WEU);
    const weuId = h.sandbox.apim.service(WEU).id;
    const posts = h.sandbox.apim.count('restore.post');
    const forged = forgedRollback(weuId, backupName);
    const started = await h.api('POST', '/runtime/webhooks/durabletask/orchestrators/restoreOrchestrator/forged-via-api', forged);
    expect(started.status).toBe(202);
    const summary = (await runToCompletion(h, 'forged-via-api')).output as RestoreSummary;
    expect(summary.state).toBe('refused');
    // No edge recorded it: refused before the rollback is even looked at.
    expect(summary.findings?.[0]?.code).toBe('RequestNotRecorded');
    expect(h.sandbox.apim.count('restore.post')).toBe(posts);
  });
});

describe('a misconfigured app with a secret where a setting NAME belongs', () => {
  const SECRET = 'Zm9yZ2VkLWtleS1ub3QtcmVhbC1idXQtc2VjcmV0LWxvb2tpbmc=';
  let h: Harness;
  beforeAll(async () => {
    // The harness builds its own Services from the sandbox's config; the functions load the broken one from app settings.
    h = await startHarness();
    const broken = { ...h.sandbox.config(), defaults: { access: { type: 'AccessKey', keySetting: SECRET } } };
    const { useServices } = await import('../../functions/services.js');
    const { parseConfig } = await import('../../src/config/loadConfig.js');
    // Throws the ValidationError on every call, as a Function App whose APIM_DR_CONFIG is invalid does.
    useServices(() => ({ ...h.services, config: parseConfig(broken) }));
  });
  afterAll(async () => {
    await h.close();
  });

  it.each([
    ['GET', '/api/status'],
    ['GET', '/api/dashboard'],
    ['GET', '/api/backups'],
    ['POST', '/api/backups'],
    ['POST', '/api/restores'],
    ['POST', '/api/restores/check'],
  ])('%s %s names the field and the fix, and never prints the secret', async (method, path) => {
    const response = await h.api(method, path, method === 'POST' ? { service: WEU, source: WEU, target: NEU, confirm: NEU } : undefined);
    const text = JSON.stringify(response.body);
    expect(response.status).toBe(500);
    expect(text).toContain('defaults.access.keySetting');
    expect(text).toContain('not the secret itself');
    expect(text).not.toContain(SECRET);
  });
});
