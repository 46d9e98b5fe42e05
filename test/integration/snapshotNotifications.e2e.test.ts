import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrchestrationStarter } from '../../src/workflows/starter';
import { runSnapshotTick } from '../../src/workflows/snapshot/snapshotTick';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { SANDBOX_SUBSCRIPTION } from '../../dev/sandbox/startSandbox';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { V2, V2_SERVICES, V2_STANDBY, v2SnapshotConfig } from '../support/v2Fleet';
import { startWebhook } from '../support/webhook';

/** A starter that starts nothing: the tick's judgement alone, no snapshot taken behind the test's back. */
const idle: OrchestrationStarter = {
  start: () => Promise.resolve({ started: true }),
  status: () => Promise.resolve(undefined),
  running: () => Promise.resolve([]),
  raiseEvent: () => Promise.resolve(),
};

describe('notifications for snapshot incidents', () => {
  let h: Harness;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  beforeEach(async () => {
    webhook = await startWebhook();
    h = await startHarness({
      services: V2_SERVICES,
      config: (sandbox) => ({
        ...v2SnapshotConfig(sandbox, { rpo: 'PT6H', snapshots: { afterChange: false } }),
        notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] },
      }),
      settings: { OPS_WEBHOOK_URL: webhook.url },
    });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 2 });
  });
  afterEach(async () => {
    await h.close();
    await webhook.close();
  });

  const snapshot = async () => (await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' })).snapshotName;
  const texts = () => webhook.received.map((m) => m.text);

  it('sends one message when the newest snapshot outgrows the RPO, none while it stays so, and one when a new snapshot is taken', async () => {
    await snapshot();
    await runSnapshotTick(h.services, idle);
    expect(texts()).toEqual([]);
    await h.clock.advance(6 * 3_600_000 + 10 * 60_000);
    await runSnapshotTick(h.services, idle);
    await runSnapshotTick(h.services, idle);
    expect(texts()).toEqual([
      expect.stringMatching(
        new RegExp(`^\\[apim-dr\\] ${V2} is outside its RPO: its newest configuration snapshot is too old: newest snapshot is 6h 10m old \\(RPO 6h\\)`),
      ),
    ]);
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.snapshot.rpo.breach')).toHaveLength(2);
    await snapshot();
    await runSnapshotTick(h.services, idle);
    await runSnapshotTick(h.services, idle);
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toMatch(new RegExp(`^\\[apim-dr\\] Resolved: ${V2} is within its RPO again`));
  });

  it('stays quiet about the RPO while ARM is down in the instance subscription', async () => {
    await snapshot();
    await h.services.armHealth.write({ [SANDBOX_SUBSCRIPTION]: { since: h.clock.now().toISOString(), message: 'unreachable' } });
    await h.clock.advance(7 * 3_600_000);
    await runSnapshotTick(h.services, idle);
    // The breach is still logged for the alert rule; only the notification waits for ARM.
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.snapshot.rpo.breach')).toHaveLength(1);
    expect(texts()).toEqual([]);
  });

  it('sends one message when an apply to a standby fails to write, and one when a later apply succeeds', async () => {
    const name = await snapshot();
    const apply = async () => {
      const response = await h.api('POST', '/api/snapshots/apply', { snapshot: name, target: V2_STANDBY, only: ['apis/api-1'], confirm: V2_STANDBY });
      expect(response.status).toBe(202);
      return (await runToCompletion(h, response.body.id)).output as { state: string; failed: unknown[] };
    };
    h.sandbox.apim.faults.add({
      method: 'PUT',
      path: new RegExp(`/service/${V2_STANDBY}/apis/api-1$`),
      fault: { kind: 'status', status: 400, code: 'ValidationError', message: 'rejected' },
      times: 1,
    });
    expect((await apply()).failed.length).toBeGreaterThan(0);
    expect(texts()).toEqual([expect.stringMatching(new RegExp(`^\\[apim-dr\\] Applying a snapshot to ${V2_STANDBY} failed: .*apis/api-1: ValidationError`))]);
    // Partial still (the secret named value was never captured), but every write landed and read back equal.
    expect(await apply()).toMatchObject({ state: 'partial', failed: [], verification: { mismatched: [] } });
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toMatch(new RegExp(`^\\[apim-dr\\] Resolved: A snapshot was applied to ${V2_STANDBY} in full`));
  });

  it('sends one message when a snapshot cannot be taken, and one when the next is', async () => {
    const take = async () => {
      const response = await h.api('POST', '/api/snapshots', { service: V2 });
      expect(response.status).toBe(202);
      return runToCompletion(h, response.body.id);
    };
    h.sandbox.apim.faults.add({
      method: 'GET',
      path: new RegExp(`/service/${V2}/tags$`),
      fault: { kind: 'status', status: 400, code: 'InvalidParameters', message: 'refused' },
      times: 100,
    });
    expect((await take()).runtimeStatus).toBe('Failed');
    expect(texts()).toEqual([expect.stringMatching(new RegExp(`^\\[apim-dr\\] A configuration snapshot of ${V2} could not be taken: .*InvalidParameters`))]);
    h.sandbox.apim.faults.clear();
    expect((await take()).runtimeStatus).toBe('Completed');
    expect(texts()).toHaveLength(2);
    expect(texts()[1]).toMatch(new RegExp(`^\\[apim-dr\\] Resolved: Configuration snapshots of ${V2} are taken again`));
  });
});
