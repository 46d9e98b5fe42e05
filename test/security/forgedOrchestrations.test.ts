/**
 * Orchestration inputs posted past the API, as anyone holding a Durable data role on the task hub could post them:
 * the restore and migration orchestrators obey only a request an edge recorded (who asked, what exactly, used once),
 * and the watch calls only its own check activities. Nothing changes in the sandbox, and each refusal is logged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MigrationSummary } from '../../src/workflows/migrate/types';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DEV = 'contoso-apim-dev';
const DURABLE = '/runtime/webhooks/durabletask';

describe('forged orchestration inputs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const changes = () => h.sandbox.apim.requests.filter((r) => r.kind.endsWith('.post'));
  const refusals = () => h.logs.filter((l) => l['event'] === 'apim-dr.request.refused');

  async function postStart(orchestrator: string, id: string, input: unknown) {
    const started = await h.api('POST', `${DURABLE}/orchestrators/${orchestrator}/${id}`, input);
    expect(started.status).toBe(202);
    return runToCompletion(h, id);
  }

  it('refuses an in-place restore of a protected instance with no pre-restore backup under a made-up requester, changing nothing', async () => {
    await backupNow(h, WEU);
    const before = structuredClone(h.sandbox.apim.service(WEU).configuration);
    const posts = changes().length;
    const weuId = h.sandbox.apim.service(WEU).id;
    const forged = {
      sourceId: weuId,
      targetId: weuId,
      purpose: 'restore',
      allowInPlace: true,
      preRestoreBackup: false,
      requestedBy: 'mallory',
      correlationId: 'c',
    };
    const summary = (await postStart('restoreOrchestrator', 'restore-contoso-apim-weu-00000000', forged)).output as RestoreSummary;
    expect(summary).toMatchObject({ state: 'refused', findings: [{ code: 'RequestNotRecorded', severity: 'blocking' }] });
    expect(changes().length).toBe(posts);
    expect(h.sandbox.apim.service(WEU).configuration).toEqual(before);
    expect(await h.services.restores.recent(WEU)).toEqual([]);
    expect(refusals()).toEqual([expect.objectContaining({ code: 'RequestNotRecorded', claimedRequester: 'mallory' })]);
    expect(h.host.engine.activityCalls.get('prepareRestore')).toBeUndefined();
  });

  it('refuses a recorded standby restore whose input was changed into an in-place one', async () => {
    await backupNow(h, WEU);
    const asked = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    const legit = await runToCompletion(h, asked.body.id);
    expect((legit.output as RestoreSummary).state).toBe('succeeded');
    const recorded = h.host.engine.instances.get(asked.body.id)!.input as Record<string, unknown>;
    const posts = changes().length;
    const forged = { ...recorded, targetId: recorded['sourceId'], allowInPlace: true, preRestoreBackup: false, requestedBy: 'mallory' };
    const summary = (await postStart('restoreOrchestrator', asked.body.id, forged)).output as RestoreSummary;
    expect(summary.findings[0]).toMatchObject({ code: 'RequestMismatch', message: expect.stringContaining("'targetId'") });
    expect(changes().length).toBe(posts);
  });

  it('refuses a recorded request replayed after it ran: a request is used once', async () => {
    await backupNow(h, WEU);
    const asked = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    await runToCompletion(h, asked.body.id);
    const replayed = h.host.engine.instances.get(asked.body.id)!.input;
    const posts = changes().length;
    const summary = (await postStart('restoreOrchestrator', asked.body.id, replayed)).output as RestoreSummary;
    expect(summary.findings[0]).toMatchObject({ code: 'RequestAlreadyUsed' });
    expect(changes().length).toBe(posts);
  });

  it('refuses an in-place migration started past the API', async () => {
    const devId = h.sandbox.apim.service(DEV).id;
    const forged = { kind: 'in-place', serviceId: devId, mode: 'PreserveIp', requestedBy: 'mallory', correlationId: 'c' };
    const summary = (await postStart('migrateOrchestrator', 'restore-contoso-apim-dev-00000000', forged)).output as MigrationSummary;
    expect(summary).toMatchObject({ state: 'refused', findings: [{ code: 'RequestNotRecorded' }] });
    expect(changes()).toEqual([]);
    expect(h.sandbox.apim.service(DEV).spec.platformVersion ?? 'stv1').toBe('stv1');
  });

  it.each([
    ['names applySweep as its activity', { activity: 'applySweep' }],
    ['names applySweep as its kind', { kind: 'applySweep' }],
    ['names an inherited property as its kind', { kind: 'constructor' }],
  ])('refuses a watch whose input %s, calling no activity', async (_what, check) => {
    const { backupName } = await backupNow(h, WEU);
    const everything = [{ backupName, service: WEU, action: 'delete', reason: 'expired' }];
    const calls = new Map(h.host.engine.activityCalls);
    const watch = {
      check: { ...check, input: everything },
      first: { status: 'running' },
      pollIntervalMs: 1000,
      outageLimitMs: 60_000,
      startedAt: h.clock.now().toISOString(),
      status: { phase: 'running' },
    };
    const instance = await postStart('watchOrchestrator', 'forged-watch', watch);
    expect(instance.runtimeStatus).toBe('Failed');
    expect(new Map(h.host.engine.activityCalls)).toEqual(calls);
    expect(await h.services.catalog.read(backupName)).toBeDefined();
  });
});
