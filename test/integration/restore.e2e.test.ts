import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxCredential } from '../../src/azure/sandboxCredential';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import type { FleetStatus } from '../../src/workflows/status/fleetStatus';
import { requestRestore } from '../../src/workflows/restore/requestRestore';
import { engineStarter } from '../support/engineStarter';
import { forgedRollback } from '../support/forgedRollback';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';

describe('restore into a standby', () => {
  let h: Harness;
  beforeEach(async () => {
    // Restores themselves, in place too, without the second person they wait for by default (test/security/approvals.test.ts).
    h = await startHarness({
      durationMs: (kind) => (kind === 'backup' ? 60_000 : 30 * 60_000),
      config: (sandbox) => ({ ...sandbox.config(), approvals: { inPlace: false } }),
    });
  });
  afterEach(async () => {
    await h.close();
  });

  async function restore(body: Record<string, unknown> = { source: WEU, target: NEU, confirm: NEU }) {
    const response = await h.api('POST', '/api/restores', body);
    if (response.status !== 202) return { response };
    const instance = await runToCompletion(h, response.body.id);
    return { response, instance, summary: instance.output as RestoreSummary };
  }

  it('restores the primary backup into the standby over HTTP, with progress in the operation status, verifies it and records the RTO', async () => {
    const backup = await backupNow(h, WEU);
    const started = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    await h.clock.runUntil(() => h.sandbox.apim.count('restore.post') === 1);
    await h.clock.advance(15 * 60_000);
    const progress = await h.api('GET', `/api/operations/${started.body.id}`);
    // No earlier restore into the target: nothing to measure a percent against, so the phase alone.
    expect(progress.body.customStatus).toMatchObject({
      phase: 'restoring',
      backupName: backup.backupName,
      warnings: [expect.objectContaining({ code: 'FewerUnits' })],
    });
    expect(progress.body.customStatus).not.toHaveProperty('percent');
    const instance = await runToCompletion(h, started.body.id);
    const response = started;
    const summary = instance.output as RestoreSummary;
    expect((await h.api('GET', `/api/operations/${started.body.id}`)).body.customStatus).toMatchObject({ phase: 'succeeded', percent: 100 });
    expect(response.status).toBe(202);
    expect(response.body.statusQueryGetUri).toMatch(/\/api\/operations\/restore-contoso-apim-neu-[0-9a-f]{8}$/);
    expect(summary).toMatchObject({ state: 'succeeded', source: WEU, target: NEU, backupName: backup.backupName, verdict: 'PartiallyRestorable' });
    expect(summary.verification).toMatchObject({
      ok: true,
      expected: { apis: 3, products: 2, namedValues: 2 },
      actual: { apis: 3, products: 2, namedValues: 2 },
    });
    expect(summary.rtoMs).toBeGreaterThanOrEqual(30 * 60_000);
    expect(h.sandbox.apim.service(NEU).configuration.apis).toEqual(['orders', 'payments', 'catalog']);
    const record = await h.services.restores.read(summary.recordName);
    // contoso-apim-neu is protected on its own too, so by default it is backed up first: that is the rollback path.
    expect(summary.preRestoreBackup).toMatch(/^contoso-apim-neu\.\d{8}T\d{6}Z\.pre-restore\.apimbackup$/);
    expect(record?.record).toMatchObject({
      state: 'succeeded',
      purpose: 'restore',
      requestedBy: 'anonymous (HTTP authentication off)',
      findings: expect.arrayContaining([expect.objectContaining({ code: 'FewerUnits' })]),
    });
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
    expect(h.sandbox.apim.count('backup.post', NEU)).toBe(1);
    // The next restore into the same target has this one's duration to go by: a percent of it.
    const again = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    await h.clock.runUntil(() => h.sandbox.apim.count('restore.post') === 2);
    const before = (await h.services.restores.read(summary.recordName))!.record;
    const tookMs = Date.parse(before.completedAt!) - Date.parse(before.startedAt!);
    await h.clock.advance(Math.round(tookMs / 2));
    const half = (await h.api('GET', `/api/operations/${again.body.id}`)).body.customStatus as { phase: string; percent?: number };
    expect(half.phase).toBe('restoring');
    expect(half.percent).toBeGreaterThanOrEqual(25);
    expect(half.percent).toBeLessThanOrEqual(75);
    await runToCompletion(h, again.body.id);
  });

  it('refuses an expired backup at the POST (403 with the findings), saying when it expired', async () => {
    await backupNow(h, WEU);
    await h.clock.advance(31 * 86_400_000);
    const { response } = await restore();
    expect(response.status, JSON.stringify(response.body)).toBe(403);
    expect(response.body.error.code).toBe('NotRestorable');
    expect(response.body.error.findings[0]).toMatchObject({ code: 'BackupExpired', message: expect.stringContaining('expired 2026-03-31T') });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('the target being overwritten shows the phase and progress in status and on the dashboard, a percent only with history', async () => {
    await backupNow(h, WEU);
    const started = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    await h.clock.runUntil(() => h.sandbox.apim.count('restore.post') === 1);
    await h.clock.advance(10 * 60_000);
    const status = (await h.api('GET', '/api/status')).body as FleetStatus;
    const neu = status.instances.find((i) => i.service === NEU)!;
    expect(neu.restoring).toMatchObject({ operation: started.body.id, phase: 'restoring', source: WEU, since: expect.any(String) });
    expect(neu.restoring).not.toHaveProperty('percent');
    const standby = status.instances.find((i) => i.service === WEU)!.standbys.find((b) => b.service === NEU)!;
    expect(standby).toMatchObject({ state: 'restoring', progress: { phase: 'restoring', source: WEU } });
    const page = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    expect(page).toMatch(
      /<tr data-service="contoso-apim-neu"[^]*?<li class="running" data-restoring>Being overwritten: restore from contoso-apim-weu running: restoring, started \d+m \d+s ago <code data-record>restores\/contoso-apim-neu\./,
    );
    expect(page).toMatch(/<li data-standby="contoso-apim-neu" class="sync-restoring">[^]*?restore from contoso-apim-weu running: restoring, started/);
    await runToCompletion(h, started.body.id);
    expect((await h.api('GET', '/api/status')).body.instances.find((i: { service: string }) => i.service === NEU).restoring).toBeUndefined();

    // With this restore to go by, the next one into the same target shows a percent, the same in status and on the page.
    const again = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    await h.clock.runUntil(() => h.sandbox.apim.count('restore.post') === 2);
    await h.clock.advance(15 * 60_000);
    const later = ((await h.api('GET', '/api/status')).body as FleetStatus).instances.find((i) => i.service === NEU)!;
    expect(later.restoring).toMatchObject({ operation: again.body.id, phase: 'restoring', percent: expect.any(Number) });
    const page2 = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    expect(page2).toContain(`restore from contoso-apim-weu running: restoring ${later.restoring!.percent}%`);
    await runToCompletion(h, again.body.id);
  });

  it('answers 409 TargetBusy at the POST while another operation holds the target, and starts nothing', async () => {
    await backupNow(h, WEU);
    h.sandbox.apim.service(NEU).provisioningState = 'Updating';
    const { response } = await restore();
    expect(response.status, JSON.stringify(response.body)).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'TargetBusy', message: expect.stringContaining("'contoso-apim-neu' is 'Updating'") });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
    expect(await h.services.restores.recent('contoso-apim-neu')).toEqual([]);
    h.sandbox.apim.service(NEU).provisioningState = 'Succeeded';
  });

  it('the dry run over HTTP names body fields in its fixes, and says what runs first, how long it takes and how to skip it', async () => {
    const old = await backupNow(h, WEU);
    // Inside the safety margin before its 30 days end: still in the catalog, no longer restorable.
    await h.clock.advance(30 * 86_400_000 - 10 * 60_000);
    await backupNow(h, NEU);
    const fresh = await backupNow(h, WEU);
    const expired = await h.api('POST', '/api/restores/check', { source: WEU, target: NEU, backup: old.backupName });
    expect(expired.status, JSON.stringify(expired.body)).toBe(200);
    expect(expired.body.findings).toContainEqual(expect.objectContaining({ code: 'BackupExpiringSoon', fix: `send "backup": "${fresh.backupName}"` }));
    const check = await h.api('POST', '/api/restores/check', { source: WEU, target: NEU });
    expect(check.body.preRestoreBackup).toMatchObject({
      target: NEU,
      samples: 1,
      expectedMs: expect.any(Number),
      message: expect.stringMatching(/^a pre-restore backup of 'contoso-apim-neu' runs first \(about .+, the median of its last 1\): it adds to the RTO/),
      fix: expect.stringContaining('"preRestoreBackup": false skips it'),
    });
    const skipped = await h.api('POST', '/api/restores/check', { source: WEU, target: NEU, preRestoreBackup: false });
    expect(skipped.body).not.toHaveProperty('preRestoreBackup');
  });

  it('answers 404 at the POST for a backup that is not in the catalog', async () => {
    await backupNow(h, WEU);
    const { response } = await restore({ source: WEU, target: NEU, confirm: NEU, backup: 'contoso-apim-weu.20200101T000000Z.manual.apimbackup' });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('BackupNotFound');
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('refuses a tier mismatch before any restore call', async () => {
    await backupNow(h, WEU);
    h.sandbox.apim.service(NEU).spec.sku = { name: 'Standard', capacity: 1 };
    const { response } = await restore();
    expect(response.status).toBe(403);
    expect((response.body.error.findings as { code: string }[]).map((f) => f.code)).toContain('TierMismatch');
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('answers 403 for a target that is not a configured standby, and for an in-place restore without allowInPlace', async () => {
    await backupNow(h, WEU);
    const notStandby = await restore({ source: WEU, target: 'contoso-apim-dev', confirm: 'contoso-apim-dev' });
    expect(notStandby.response.status).toBe(403);
    expect(notStandby.response.body.error).toMatchObject({ code: 'NotAStandby', message: expect.stringContaining('services[].standbys') });
    const inPlace = await restore({ source: WEU, target: WEU, confirm: WEU });
    expect(inPlace.response.status).toBe(403);
    expect(inPlace.response.body.error).toMatchObject({ code: 'InPlaceNotAllowed', message: expect.stringContaining('allowInPlace: true') });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('restores an instance into itself with allowInPlace, after a pre-restore backup that is its rollback path', async () => {
    const good = await backupNow(h, WEU);
    await h.clock.advance(60 * 60_000);
    h.sandbox.apim.service(WEU).configuration.apis.push('broken');
    const { response, summary } = await restore({ source: WEU, target: WEU, confirm: WEU, allowInPlace: true });
    expect(response.status).toBe(202);
    expect(summary).toMatchObject({ state: 'succeeded', purpose: 'restore', backupName: good.backupName, verification: { ok: true } });
    expect(summary!.preRestoreBackup).toMatch(/^contoso-apim-weu\.\d{8}T\d{6}Z\.pre-restore\.apimbackup$/);
    expect(h.sandbox.apim.service(WEU).configuration.apis).toEqual(['orders', 'payments', 'catalog']);
    const pre = await h.services.catalog.read(summary!.preRestoreBackup!);
    expect(pre?.manifest).toMatchObject({ state: 'succeeded', trigger: 'pre-restore', inventory: { apis: 4 } });
    const posts = h.sandbox.apim.requests.filter((r) => r.kind.endsWith('.post') && r.status === 202).map((r) => r.kind);
    expect(posts).toEqual(['backup.post', 'backup.post', 'restore.post']);
    expect((await h.services.restores.read(summary!.recordName))?.record.preRestoreBackup).toBe(summary!.preRestoreBackup);
  });

  it('restores nothing when the pre-restore backup fails', async () => {
    await backupNow(h, WEU);
    h.sandbox.apim.failNextOperation(WEU, { code: 'InternalServerError', message: 'Backup failed in the sandbox.' });
    const { summary } = await restore({ source: WEU, target: WEU, confirm: WEU, allowInPlace: true });
    expect(summary).toMatchObject({ state: 'failed', error: { code: 'PreRestoreBackupFailed', message: expect.stringContaining('nothing was restored') } });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('answers 400 when a pre-restore backup is asked of a pure standby, which apim-dr does not back up', async () => {
    await h.close();
    h = await startHarness({
      config: (sandbox) => ({ ...sandbox.config(), services: (sandbox.config().services as { id: string }[]).filter((s) => !s.id.endsWith(NEU)) }),
    });
    await backupNow(h, WEU);
    const byDefault = await restore({ source: WEU, target: NEU, confirm: NEU });
    expect(byDefault.summary).toMatchObject({ state: 'succeeded' });
    expect(byDefault.summary!.preRestoreBackup).toBeUndefined();
    const { response } = await restore({ source: WEU, target: NEU, confirm: NEU, preRestoreBackup: true });
    expect(response.status).toBe(400);
    expect(response.body.error.problems).toEqual([{ path: 'preRestoreBackup', message: expect.stringContaining(`'${NEU}' is not a protected instance`) }]);
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
  });

  it('refuses a missing backup at the edge (404) and one started past it in the workflow, leaving only the valid restore recorded', async () => {
    await backupNow(h, WEU);
    // The HTTP edge refuses a missing backup before starting (404); started past the edge, the workflow refuses it
    // before anything is read or written: no edge recorded the request.
    const missing = 'contoso-apim-weu.20200101T000000Z.manual.apimbackup';
    expect((await restore({ source: WEU, target: NEU, confirm: NEU, backup: missing })).response.status).toBe(404);
    const request = forgedRollback(h.sandbox.apim.service(WEU).id, missing, {
      targetId: h.sandbox.apim.service(NEU).id,
      purpose: 'restore',
      requestedBy: 'test',
    });
    h.host.engine.start('restoreOrchestrator', 'restore-refused', request);
    const refused = (await runToCompletion(h, 'restore-refused')).output as RestoreSummary;
    expect(refused.state).toBe('refused');
    expect(refused.findings?.[0]).toMatchObject({ code: 'RequestNotRecorded' });
    const valid = await restore();
    expect(valid.summary?.state).toBe('succeeded');
    expect(h.host.engine.activityCalls.get('prepareRestore')).toBe(1);
    const records = (await h.services.restores.recent(NEU)).map((r) => `${r.state} ${r.recordName}`);
    expect(records).toEqual([`succeeded ${valid.summary!.recordName}`]);
  });

  it.each([
    ['names no record', {}],
    ['names a record that does not exist', { rollbackOf: 'restores/contoso-apim-weu.20200101T000000Z.json' }],
  ])('refuses a rollback forged past the API before any ARM call when its input %s', async (_what, extra) => {
    const { backupName } = await backupNow(h, WEU);
    const weuId = h.sandbox.apim.service(WEU).id;
    const forged = forgedRollback(weuId, backupName, extra);
    h.host.engine.start('restoreOrchestrator', 'forged-rollback', forged);
    const instance = await runToCompletion(h, 'forged-rollback');
    const summary = instance.output as RestoreSummary;
    expect(summary.state).toBe('refused');
    // No edge recorded it: refused before the rollback is even looked at.
    expect(summary.findings?.[0]).toMatchObject({ code: 'RequestNotRecorded', severity: 'blocking' });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('refuses a recorded rollback whose record took another backup than the one it would restore', async () => {
    await backupNow(h, WEU);
    const restored = await restore({ source: WEU, target: WEU, confirm: WEU, allowInPlace: true });
    expect(restored.summary?.preRestoreBackup).toBeDefined();
    const other = await backupNow(h, WEU);
    const posts = h.sandbox.apim.count('restore.post');
    // An edge that recorded what it should not have: the gate proves the rollback from storage all the same.
    const ask = { source: WEU, target: WEU, confirm: WEU, backup: other.backupName, purpose: 'rollback' as const, rollbackOf: restored.summary!.recordName };
    const { instanceId } = await requestRestore(h.services, engineStarter(h), { ...ask, preRestoreBackup: false, requestedBy: 'cli:test' }, { via: 'cli' });
    const summary = (await runToCompletion(h, instanceId)).output as RestoreSummary;
    expect(summary.findings?.[0]).toMatchObject({
      code: 'RollbackNotProven',
      message: expect.stringContaining(`may only restore the pre-restore backup '${restored.summary!.preRestoreBackup}'`),
    });
    expect(h.sandbox.apim.count('restore.post')).toBe(posts);
  });

  it('answers 400 naming confirm when it is missing or wrong', async () => {
    for (const confirm of [undefined, 'contoso-apim-weu']) {
      const { response } = await restore({ source: WEU, target: NEU, ...(confirm ? { confirm } : {}) });
      expect(response.status).toBe(400);
      expect(response.body.error.problems).toEqual([{ path: 'confirm', message: expect.stringContaining(`must be the target's name, '${NEU}'`) }]);
    }
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('answers 409 while a restore into the same target runs', async () => {
    await backupNow(h, WEU);
    const first = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    const second = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    expect(first.status).toBe(202);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('TargetBusy');
    await runToCompletion(h, first.body.id);
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
  });

  it('fails verification when the restored inventory does not match the backup', async () => {
    await backupNow(h, WEU);
    h.sandbox.apim.tamperNextRestore(NEU, (config) => config.apis.pop());
    const { summary } = await restore();
    expect(summary).toMatchObject({
      state: 'failed',
      error: { code: 'VerificationFailed', message: expect.stringContaining('expected 3 APIs, 2 products, 2 named values, found 2 APIs') },
    });
    expect(h.logs.some((l) => l['event'] === 'apim-dr.restore.failed')).toBe(true);
  });

  it("waits out someone else's operation on the standby instead of taking it for its own restore", async () => {
    await backupNow(h, WEU);
    h.sandbox.apim.faults.add({ method: 'POST', path: /\/restore$/, fault: { kind: 'status', status: 409 }, times: 1 });
    const response = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    // The 409 came from another operation, which keeps the standby busy for a few minutes.
    await h.clock.runUntil(() => h.sandbox.apim.faults.injected.length === 1);
    h.sandbox.apim.service(NEU).provisioningState = 'Updating';
    await h.clock.advance(3 * 60_000);
    h.sandbox.apim.service(NEU).provisioningState = 'Succeeded';
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.output).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'restore.post' && r.status === 202)).toHaveLength(1);
  });

  it('survives 429, 500 and 409 while monitoring, and duplicated activities, with one restore call', async () => {
    await h.close();
    h = await startHarness({ durationMs: (kind) => (kind === 'backup' ? 60_000 : 30 * 60_000), hooks: { duplicateActivity: () => 1 } });
    await backupNow(h, WEU);
    h.sandbox.apim.faults.add({ method: 'GET', path: /operation(results|statuses)/, fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, times: 1 });
    h.sandbox.apim.faults.add({ method: 'GET', path: /operation(results|statuses)/, fault: { kind: 'status', status: 500 }, times: 1 });
    h.sandbox.apim.faults.add({ method: 'POST', path: /\/restore$/, fault: { kind: 'status', status: 409 }, times: 1 });
    const { summary } = await restore();
    expect(summary!.state).toBe('succeeded');
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'restore.post' && r.status === 202)).toHaveLength(1);
  });

  it('adopts its own restore after the POST answer is lost: carried out once, recorded as succeeded', async () => {
    await h.close();
    h = await startHarness({ durationMs: (kind) => (kind === 'backup' ? 60_000 : 20 * 60_000) });
    await backupNow(h, WEU);
    h.sandbox.apim.faults.add({ method: 'POST', path: /\/restore$/, fault: { kind: 'drop-response' }, times: 1 });
    const { summary } = await restore({ source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    expect(summary).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.count('fault.drop-response')).toBe(1);
    // Sent once: the dropped POST, carried out by ARM and adopted, never resent (not even by the SDK's retry).
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.restore.succeeded')).toHaveLength(1);
  });

  it('survives access tokens that expire mid-restore while the SDK still trusts them, with one restore call', async () => {
    await h.close();
    const tokens = new Set<string>();
    h = await startHarness({
      durationMs: (kind) => (kind === 'backup' ? 60_000 : 90 * 60_000),
      // Tokens live 20 minutes on the sandbox's clock, but the SDK's cache (on the wall clock) trusts each for an hour.
      credential: (clock) => {
        const inner = new SandboxCredential(clock, 20 * 60_000);
        return {
          async getToken() {
            const token = await inner.getToken();
            tokens.add(token.token);
            return { ...token, expiresOnTimestamp: Date.now() + 3_600_000 };
          },
        };
      },
    });
    await backupNow(h, WEU);
    const { summary } = await restore({ source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    expect(summary).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.count('expired-token')).toBeGreaterThanOrEqual(4);
    expect(tokens.size).toBeGreaterThanOrEqual(5);
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'restore.post' && r.status === 202)).toHaveLength(1);
  });

  it('holds backups of the target while a restore into it runs, and backs it up once the restore has finished', async () => {
    await backupNow(h, WEU);
    const response = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    await h.clock.advance(5 * 60_000);
    const manual = await h.api('POST', '/api/backups', { service: NEU });
    expect(manual.status).toBe(409);
    expect(manual.body.error).toMatchObject({ code: 'RestoreRunning', message: expect.stringContaining(`a restore into '${NEU}' is running`) });
    const tick = async () => {
      await h.host.invokeTimer('scheduleTick');
      return h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!;
    };
    const neuBackups = () => [...h.host.engine.instances.values()].filter((i) => i.name === 'backupOrchestrator' && i.instanceId.startsWith(`backup-${NEU}-`));
    expect(await tick()).toMatchObject({ deferred: [NEU] });
    expect(neuBackups()).toEqual([]);

    await runToCompletion(h, response.body.id);
    expect(await tick()).toMatchObject({ deferred: [] });
    expect(neuBackups()).toHaveLength(1);
  });
});
