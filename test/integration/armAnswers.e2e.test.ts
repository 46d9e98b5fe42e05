/**
 * Backups, restores and migrations driven through each way ARM answers a long-running operation: its result expired,
 * its URL failing, an Azure-AsyncOperation failure body, a POST refused at once, a non-terminal state, an unreadable
 * token. docs/how-it-works.md says how each is read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackup } from '../../src/workflows/backup/checkBackup';
import type { BackupSummary } from '../../src/workflows/backup/types';
import { backupNow, runToCompletion, startHarness, type Harness, type HarnessOptions } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DEV = 'contoso-apim-dev';
const HOUR = 3_600_000;

// In-place migrations here run alone: the two-person rule has its own tests (test/security/approvals.test.ts).
const noApprovals: HarnessOptions['config'] = (sandbox) => ({ ...sandbox.config(), approvals: { inPlace: false } });

describe('long-running operations, read as ARM answers them', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function backup(options: HarnessOptions = {}, arrange?: (h: Harness) => void, service = WEU) {
    h = await startHarness(options);
    arrange?.(h);
    const response = await h.api('POST', '/api/backups', { service });
    expect(response.status).toBe(202);
    const startedAt = h.clock.now().getTime();
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    return { summary: instance.output as BackupSummary, h, tookMs: h.clock.now().getTime() - startedAt };
  }

  async function manifestOf(h: Harness, backupName: string) {
    return (await h.services.catalog.read(backupName))!.manifest;
  }

  it('settles a backup whose operation result has expired from its blob: succeeded, with its size', async () => {
    const { summary, h } = await backup({ operationResultTtlMs: 0 });
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.requests.some((r) => r.kind === 'operation.get' && r.status === 404)).toBe(true);
    const manifest = await manifestOf(h, summary.backupName);
    expect(manifest.state).toBe('succeeded');
    expect(manifest.blobSize).toBeGreaterThan(0);
  });

  it('fails a backup whose result expired and whose blob was never written, with a code that says so', async () => {
    const { summary } = await backup({ operationResultTtlMs: 0 }, (h) =>
      h.sandbox.apim.failNextOperation(WEU, { code: 'StorageAccessDenied', message: 'This request is not authorized to perform this operation.' }),
    );
    expect(summary.state).toBe('failed');
    expect(summary.error?.code).toBe('OperationResultExpired');
  });

  it('reads 5xx on the operation URL as transient: the watch goes on and settles the backup as soon as it ends, not after an outage', async () => {
    const harness = await startHarness();
    h = harness;
    const response = await harness.api('POST', '/api/backups', { service: WEU });
    // From the watch's first check on (the SDK's own poll right after the POST has answered 202 by then).
    await harness.clock.runUntil(() => harness.sandbox.apim.count('operation.get') === 1);
    harness.sandbox.apim.faults.add({ method: 'GET', path: /operationresults/, fault: { kind: 'status', status: 503 }, times: Infinity });
    const startedAt = harness.clock.now().getTime();
    const instance = await runToCompletion(harness, response.body.id);
    const summary = instance.output as BackupSummary;
    expect(summary.state).toBe('succeeded');
    expect(summary.error).toBeUndefined();
    expect(harness.sandbox.apim.count('fault.503')).toBeGreaterThan(0);
    // The operation takes 45 s in the sandbox; an outage reading would have waited hours.
    expect(harness.clock.now().getTime() - startedAt).toBeLessThan(10 * 60_000);
    expect(harness.sandbox.apim.count('backup.post')).toBe(1);
  });

  it("takes an Azure-AsyncOperation body {status: Failed} as the operation's failure, with ARM's code and message", async () => {
    const { summary, tookMs } = await backup({ asyncStatusFor: ['backup'] }, (h) =>
      h.sandbox.apim.failNextOperation(WEU, { code: 'StorageAccessDenied', message: 'This request is not authorized to perform this operation.' }),
    );
    expect(summary).toMatchObject({
      state: 'failed',
      error: { code: 'StorageAccessDenied', message: 'This request is not authorized to perform this operation.' },
    });
    expect(tookMs).toBeLessThan(10 * 60_000);
  });

  it("fails a migration whose Azure-AsyncOperation body says Failed, with ARM's code, leaving the instance on stv1", async () => {
    h = await startHarness({ asyncStatusFor: ['migrate'], durationMs: (kind) => (kind === 'migrate' ? 45 * 60_000 : 60_000), config: noApprovals });
    const harness = h;
    const response = await harness.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    // The pre-migration backup goes first: the failure is queued once it runs, for the migration after it.
    await harness.clock.runUntil(() => harness.sandbox.apim.count('backup.post') === 1);
    harness.sandbox.apim.failNextOperation(DEV, { code: 'MigrationFailed', message: 'The migration failed and was rolled back.' });
    const instance = await runToCompletion(harness, response.body.id);
    expect(instance.output).toMatchObject({
      state: 'failed',
      error: { code: 'MigrationFailed', message: expect.stringContaining('The migration failed and was rolled back.') },
    });
    expect(harness.sandbox.apim.count('operationstatus.get')).toBeGreaterThan(0);
    expect(harness.sandbox.apim.service(DEV).platformVersion).toBe('stv1');
  });

  it('follows an Azure-AsyncOperation URL to a successful backup', async () => {
    const { summary, h } = await backup({ asyncStatusFor: ['backup'] });
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.count('operationstatus.get')).toBeGreaterThan(0);
  });

  it('fails a backup at once when ARM refuses its POST with a 4xx: one POST, the record failed with the code', async () => {
    const { summary, h } = await backup({}, (h) =>
      h.sandbox.apim.faults.add({
        method: 'POST',
        path: /\/backup$/,
        fault: { kind: 'status', status: 400, code: 'InvalidParameters', message: "The 'backupName' is not valid." },
        times: 1,
      }),
    );
    expect(summary).toMatchObject({ state: 'failed', error: { code: 'InvalidParameters', message: "The 'backupName' is not valid." } });
    expect(h.sandbox.apim.count('fault.400')).toBe(1);
    expect(h.sandbox.apim.count('backup.post')).toBe(0);
    const manifest = await manifestOf(h, summary.backupName);
    expect(manifest).toMatchObject({ state: 'failed', error: { code: 'InvalidParameters' } });
  });

  it('adopts its own operation on an instance that shows a non-terminal state other than Updating, sending one POST', async () => {
    const { summary, h } = await backup({ runningState: 'Activating' }, (h) =>
      h.sandbox.apim.faults.add({ method: 'POST', path: /\/backup$/, fault: { kind: 'drop-response' }, times: 1 }),
    );
    expect(summary.state).toBe('succeeded');
    // The dropped POST was carried out and adopted; none was sent again to meet it with 409.
    expect(h.sandbox.apim.count('backup.post')).toBe(1);
    expect(h.sandbox.apim.count('fault.drop-response')).toBe(1);
  });

  it('asks for workspace links only where the tier can have workspaces', async () => {
    const { summary, h } = await backup({}, undefined, DEV);
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.count('workspacelinks.get', DEV)).toBe(0);
    await backupNow(h, WEU);
    expect(h.sandbox.apim.count('workspacelinks.get', WEU)).toBe(1);
  });

  it('counts every item of a paged list (nextLink) in the inventory', async () => {
    const apis = Array.from({ length: 7 }, (_, i) => `api-${i}`);
    const { summary, h } = await backup({ pageSize: 2 }, (h) => h.sandbox.apim.changeConfiguration(WEU, (c) => (c.apis = apis)));
    expect(summary.state).toBe('succeeded');
    expect((await manifestOf(h, summary.backupName)).inventory?.apis).toBe(7);
    // Pages of two: seven APIs alone take four list requests (the products and named values take their own).
    expect(h.sandbox.apim.count('config.list', WEU)).toBeGreaterThanOrEqual(4 + 2);
  });

  it('settles a check whose token does not parse from the facts: the instance idle and the blob there', async () => {
    h = await startHarness();
    const done = await backupNow(h, WEU);
    const serviceId = h.sandbox.apim.service(WEU).id;
    expect(await checkBackup(h.services, { serviceId, backupName: done.backupName, token: 'not-a-poller-state' })).toEqual({ status: 'succeeded' });
    h.sandbox.apim.setProvisioningState(WEU, 'Terminating');
    expect(await checkBackup(h.services, { serviceId, backupName: done.backupName, token: '{"state":{}}' })).toEqual({ status: 'running' });
  });

  it('settles a restore whose operation result expired from the target and the verification', async () => {
    h = await startHarness({ operationResultTtlMs: 0, durationMs: (kind) => (kind === 'backup' ? 60_000 : 20 * 60_000) });
    await backupNow(h, WEU);
    const response = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.output).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.requests.some((r) => r.kind.startsWith('operation') && r.status === 404)).toBe(true);
    expect(h.sandbox.apim.count('restore.post')).toBe(1);
  });

  it('reads 404 from the operation URL of a running operation (even on the first poll after the POST) by the instance: still busy, so the watch goes on', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'migrate' ? 2 * HOUR : 60_000), config: noApprovals });
    h.sandbox.apim.faults.add({ method: 'GET', path: /operationresults/, fault: { kind: 'status', status: 404 }, times: 3 });
    const response = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.output).toMatchObject({ state: 'succeeded' });
    expect(h.sandbox.apim.service(DEV).platformVersion).toBe('stv2');
  });
});
