/**
 * Two people for what cannot be undone: an in-place restore of a protected instance (with or without its pre-restore
 * backup) and an in-place migration wait for a second DR.Restore holder, who is not the requester, until the
 * approval expires (PT1H by default). Entra ID is emulated on loopback, as in roles.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HTTP_AUTH_SETTING, PLATFORM_AUTH_SETTING } from '../../src/http/caller';
import type { MigrationSummary } from '../../src/workflows/migrate/types';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { principalHeader, READER, RESTORER, SECOND_RESTORER, type TestPrincipal } from './principal';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DEV = 'contoso-apim-dev';
const HOUR = 3_600_000;
const ASKER = `restorer@contoso.example (${RESTORER.objectId})`;
const APPROVER = `second@contoso.example (${SECOND_RESTORER.objectId})`;

describe('two people for what cannot be undone', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ settings: { [HTTP_AUTH_SETTING]: 'entra-id', [PLATFORM_AUTH_SETTING]: 'True' } });
    h.host.engine.start('backupOrchestrator', 'seed', {
      serviceId: h.sandbox.apim.service(WEU).id,
      trigger: 'manual',
      requestedBy: 'test',
      correlationId: 's',
    });
    await runToCompletion(h, 'seed');
    h.sandbox.apim.service(WEU).configuration.apis.push('hotfix');
  });
  afterEach(async () => {
    await h.close();
  });

  async function call(method: string, path: string, principal: TestPrincipal, body?: unknown) {
    const response = await fetch(`${h.host.origin}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'x-ms-client-principal': principalHeader(principal) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  const changes = () => h.sandbox.apim.requests.filter((r) => r.kind.endsWith('.post')).length;
  const inPlace = (extra: Record<string, unknown> = {}) =>
    call('POST', '/api/restores', RESTORER, { source: WEU, target: WEU, confirm: WEU, allowInPlace: true, ...extra });

  it('lets a lone restorer only wait: the request expires after an hour with nothing changed', async () => {
    const posts = changes();
    const expiresAt = new Date(h.clock.now().getTime() + HOUR).toISOString();
    const asked = await inPlace();
    expect(asked.status).toBe(202);
    expect(asked.body.awaitingApproval).toMatchObject({ requestedBy: ASKER, expiresAt });
    await h.clock.advance(30 * 60_000);
    const waiting = await call('GET', `/api/operations/${asked.body.id}`, READER);
    expect(waiting.body.customStatus).toMatchObject({
      phase: 'awaiting-approval',
      requestedBy: ASKER,
      expiresAt,
      reason: expect.stringContaining(`in-place restore replaces the configuration of the protected instance '${WEU}'`),
    });
    const summary = (await runToCompletion(h, asked.body.id, 2 * HOUR)).output as RestoreSummary;
    expect(summary).toMatchObject({ state: 'refused', findings: [{ code: 'ApprovalExpired', message: expect.stringContaining('nothing was changed') }] });
    expect(changes()).toBe(posts);
    expect(h.sandbox.apim.service(WEU).configuration.apis).toContain('hotfix');
    expect((await h.services.approvals.read(summary.recordName))?.record).toMatchObject({ state: 'expired', requestedBy: ASKER });
    const late = await call('POST', `/api/approvals/${asked.body.id}`, SECOND_RESTORER);
    expect([late.status, late.body.error.code]).toEqual([403, 'ApprovalExpired']);
  });

  it('refuses the requester’s own approval and a Reader’s, and ignores a forged approval event', async () => {
    const asked = await inPlace();
    const own = await call('POST', `/api/approvals/${asked.body.id}`, RESTORER);
    expect([own.status, own.body.error.code]).toEqual([403, 'SelfApproval']);
    const reader = await call('POST', `/api/approvals/${asked.body.id}`, READER);
    expect([reader.status, reader.body.error.code]).toEqual([403, 'RoleRequired']);
    // Anyone with a Durable data role can raise the event; the record, not the event, is what counts.
    h.host.engine.raiseEvent(asked.body.id, 'approval', { approvedBy: 'mallory' });
    await h.clock.advance(10 * 60_000);
    expect(h.host.engine.instances.get(asked.body.id)!.customStatus).toMatchObject({ phase: 'awaiting-approval' });
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
    expect(h.sandbox.apim.service(WEU).configuration.apis).toContain('hotfix');
    // And the deadline still holds after the orchestration woke for nothing.
    const summary = (await runToCompletion(h, asked.body.id, 2 * HOUR)).output as RestoreSummary;
    expect(summary.findings[0]?.code).toBe('ApprovalExpired');
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('runs once a second DR.Restore holder approves, and records who asked and who approved', async () => {
    const asked = await inPlace();
    await h.clock.advance(5 * 60_000);
    const approvedAt = h.clock.now().toISOString();
    const approved = await call('POST', `/api/approvals/${asked.body.id}`, SECOND_RESTORER);
    expect(approved.status).toBe(202);
    expect(approved.body).toMatchObject({ requestedBy: ASKER, approvedBy: APPROVER });
    const summary = (await runToCompletion(h, asked.body.id)).output as RestoreSummary;
    expect(summary).toMatchObject({ state: 'succeeded', approval: { approvedBy: APPROVER } });
    expect(summary.preRestoreBackup).toMatch(/\.pre-restore\.apimbackup$/);
    expect(h.sandbox.apim.service(WEU).configuration.apis).not.toContain('hotfix');
    const record = (await h.services.restores.read(summary.recordName))!.record;
    expect(record).toMatchObject({ requestedBy: ASKER, approval: { approvedBy: APPROVER, approvedAt } });
    const again = await call('POST', `/api/approvals/${asked.body.id}`, SECOND_RESTORER);
    expect([again.status, again.body.error.code]).toEqual([409, 'AlreadyApproved']);
  });

  it('waits for approval when a restore skips the pre-restore backup of a protected target, and not for a standby', async () => {
    const skipped = await inPlace({ preRestoreBackup: false });
    expect(skipped.body.awaitingApproval.reason).toContain('without a pre-restore backup cannot be undone');
    const standby = await call('POST', '/api/restores', RESTORER, { source: WEU, target: NEU, confirm: NEU });
    expect(standby.status).toBe(202);
    expect(standby.body.awaitingApproval).toBeUndefined();
    expect(((await runToCompletion(h, standby.body.id)).output as RestoreSummary).state).toBe('succeeded');
  });

  it('holds an in-place migration until a second person approves it', async () => {
    const asked = await call('POST', '/api/migrations', RESTORER, { service: DEV, confirm: DEV });
    expect(asked.body.awaitingApproval.reason).toContain(`in-place migration of '${DEV}' off stv1 cannot be undone`);
    await h.clock.advance(10 * 60_000);
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(0);
    expect((await call('POST', `/api/approvals/${asked.body.id}`, SECOND_RESTORER)).status).toBe(202);
    const summary = (await runToCompletion(h, asked.body.id)).output as MigrationSummary;
    expect(summary).toMatchObject({ state: 'succeeded', approval: { approvedBy: APPROVER } });
    expect((await h.services.migrations.read(summary.recordName))!.record).toMatchObject({ requestedBy: ASKER, approval: { approvedBy: APPROVER } });
  });
});
