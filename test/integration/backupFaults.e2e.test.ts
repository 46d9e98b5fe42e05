import { afterEach, describe, expect, it } from 'vitest';
import { backupInstanceId } from '../../src/domain/instanceIds';
import type { BackupSummary } from '../../src/workflows/backup/types';
import { runToCompletion, startHarness, type Harness, type HarnessOptions } from '../support/harness';

const SERVICE = 'contoso-apim-weu';

describe('backups under faults never lose or duplicate a backup', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function backup(options: HarnessOptions = {}, arrange?: (h: Harness) => void) {
    h = await startHarness(options);
    arrange?.(h);
    const response = await h.api('POST', '/api/backups', { service: SERVICE });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    return { summary: instance.output as BackupSummary, h };
  }

  async function catalogued(h: Harness) {
    return (await h.services.catalog.list(SERVICE)).map((e) => e.state);
  }

  it('waits out 429 with Retry-After on the status checks and still records one backup', async () => {
    const { summary, h } = await backup({}, (h) =>
      h.sandbox.apim.faults.add({ method: 'GET', path: /operationresults/, fault: { kind: 'status', status: 429, retryAfterSeconds: 1 }, times: 2 }),
    );
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.count('backup.post')).toBe(1);
    expect(h.sandbox.apim.faults.injected).toHaveLength(2);
    expect(await catalogued(h)).toEqual(['succeeded']);
  });

  it('retries a 500 on the backup POST without starting a second backup', async () => {
    const { summary, h } = await backup({}, (h) =>
      h.sandbox.apim.faults.add({ method: 'POST', path: /\/backup$/, fault: { kind: 'status', status: 500 }, times: 1 }),
    );
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'backup.post' && r.status === 202)).toHaveLength(1);
    expect(await catalogued(h)).toEqual(['succeeded']);
  });

  it('survives a connection reset on the status check', async () => {
    const { summary, h } = await backup({}, (h) => h.sandbox.apim.faults.add({ method: 'GET', path: /operationresults/, fault: { kind: 'reset' }, times: 1 }));
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.count('backup.post')).toBe(1);
  });

  it('adopts a backup whose POST was accepted but whose response was lost, instead of starting another', async () => {
    const { summary, h } = await backup({}, (h) =>
      h.sandbox.apim.faults.add({ method: 'POST', path: /\/backup$/, fault: { kind: 'drop-response' }, times: 1 }),
    );
    expect(summary.state).toBe('succeeded');
    // Exactly one operation was accepted (its 202 never reached us); any later POST met the running one (409).
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'backup.post' && r.status === 202)).toHaveLength(1);
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'fault.drop-response')).toHaveLength(1);
    expect(await catalogued(h)).toEqual(['succeeded']);
    expect(h.sandbox.apim.service(SERVICE).provisioningState).toBe('Succeeded');
  });

  it('waits on a 409 from another operation on the instance, then backs up', async () => {
    const { summary, h } = await backup({}, (h) =>
      h.sandbox.apim.faults.add({ method: 'POST', path: /\/backup$/, fault: { kind: 'status', status: 409 }, times: 2 }),
    );
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'backup.post' && r.status === 202)).toHaveLength(1);
    expect(await catalogued(h)).toEqual(['succeeded']);
  });

  it('records a failed operation as failed, with the ARM code and message', async () => {
    const { summary, h } = await backup({}, (h) =>
      h.sandbox.apim.failNextOperation(SERVICE, { code: 'StorageAccessDenied', message: 'This request is not authorized to perform this operation.' }),
    );
    expect(summary.state).toBe('failed');
    expect(summary.error).toEqual({ code: 'StorageAccessDenied', message: 'This request is not authorized to perform this operation.' });
    const manifest = (await h.services.catalog.read(summary.backupName))!.manifest;
    expect(manifest.state).toBe('failed');
    expect(manifest.error?.code).toBe('StorageAccessDenied');
    expect(h.logs.some((l) => l['event'] === 'apim-dr.backup.failed')).toBe(true);
  });

  it('starts one backup when every activity is executed twice (at-least-once delivery)', async () => {
    const { summary, h } = await backup({ hooks: { duplicateActivity: () => 1 } });
    expect(summary.state).toBe('succeeded');
    expect(h.host.engine.activityCalls.get('startBackup')).toBe(2);
    expect(h.sandbox.apim.count('backup.post')).toBe(1);
    expect(await catalogued(h)).toEqual(['succeeded']);
  });

  it('refuses a Consumption-tier instance before calling backup, recording why', async () => {
    const { summary, h } = await backup({}, (h) => {
      h.sandbox.apim.service(SERVICE).spec.sku = { name: 'Consumption', capacity: 0 };
    });
    expect(summary.state).toBe('failed');
    expect(summary.error?.code).toBe('TierNotSupported');
    expect(h.sandbox.apim.count('backup.post')).toBe(0);
    expect(await catalogued(h)).toEqual(['failed']);
  });

  it('refuses an instance with workspace gateways', async () => {
    const { summary, h } = await backup({}, (h) => {
      h.sandbox.apim.service(SERVICE).spec.workspaceGateways = ['/subscriptions/x/gateways/gw1'];
    });
    expect(summary.error?.code).toBe('WorkspaceGateways');
    expect(h.sandbox.apim.count('backup.post')).toBe(0);
  });

  it('refuses when the instance lacks the managed identity the access type needs', async () => {
    const { summary, h } = await backup({}, (h) => {
      h.sandbox.apim.service(SERVICE).spec.identity = { type: 'None' };
    });
    expect(summary.error?.code).toBe('IdentityMissing');
    expect(summary.error?.message).toContain("identity.type is 'None'");
    expect(h.sandbox.apim.count('backup.post')).toBe(0);
  });

  it('says which role is missing when ARM answers 403', async () => {
    h = await startHarness();
    h.sandbox.apim.service(SERVICE).deniedActions.add('Microsoft.ApiManagement/service/read');
    const response = await h.api('POST', '/api/backups', { service: SERVICE });
    const instance = await runToCompletion(h, response.body.id);
    const summary = instance.output as BackupSummary;
    expect(summary.state).toBe('failed');
    expect(summary.error?.code).toBe('AuthorizationFailed');
    expect(summary.error?.message).toContain("Assign it apim-dr's role 'apim-dr APIM backup and restore (<environment> …)' on that instance");
    // Not retried: a missing role does not fix itself.
    expect(h.host.engine.activityCalls.get('startBackup')).toBe(1);
    expect((await h.services.catalog.list(SERVICE))[0]?.state).toBe('failed');
  });

  it('coalesces a second request while a backup of the same instance runs', async () => {
    h = await startHarness();
    const first = await h.api('POST', '/api/backups', { service: SERVICE });
    const second = await h.api('POST', '/api/backups', { service: SERVICE });
    expect(first.body.started).toBe(true);
    expect(second.body).toMatchObject({ started: false, id: first.body.id });
    expect(first.body.id).toBe(backupInstanceId(SERVICE, h.sandbox.apim.service(SERVICE).id));
    await runToCompletion(h, first.body.id);
    expect(h.sandbox.apim.count('backup.post')).toBe(1);
  });

  it('fails a backup into a missing container after one activity execution, recording why: a user error is never retried', async () => {
    const { summary, h } = await backup({}, (h) => void h.sandbox.container().delete());
    expect(summary.state).toBe('failed');
    expect(summary.error?.code).toBe('ContainerNotFound');
    expect(h.host.engine.activityCalls.get('startBackup')).toBe(1);
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'backup.post')).toHaveLength(0);
  });
});
