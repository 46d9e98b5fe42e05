import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { targetLockId } from '../../src/domain/instanceIds';
import type { FleetStatus } from '../../src/workflows/status/fleetStatus';
import type { SnapshotSummary } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2SnapshotConfig } from '../support/v2Fleet';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';

describe('an instance a snapshot apply runs into is busy', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: (sandbox) => v2SnapshotConfig(sandbox) });
    seedFullConfiguration(h.sandbox.apim.service(WEU), { apis: 2, operations: 1 });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 1 });
  });
  afterEach(async () => {
    await h.close();
  });

  const snapshotOf = async (service: string) => {
    const response = await h.api('POST', '/api/snapshots', { service });
    return ((await runToCompletion(h, response.body.id)).output as SnapshotSummary).snapshotName;
  };
  /**
   * Starts an apply into `target` that stays running: the first read of the target's tags (its part of the target read
   * in parts, for the dry run and the way back) is refused once, so the apply waits on its retry until the clock moves.
   */
  const heldApply = async (snapshot: string, target: string) => {
    h.sandbox.apim.faults.add({
      method: 'GET',
      path: new RegExp(`/service/${target}/tags$`),
      fault: { kind: 'status', status: 400, code: 'InvalidParameters', message: 'refused once' },
      times: 1,
    });
    const response = await h.api('POST', '/api/snapshots/apply', { snapshot, target, confirm: target });
    expect(response.status).toBe(202);
    await h.clock.advance(0);
    expect(h.host.engine.instances.get(response.body.id)?.runtimeStatus).toBe('Running');
    return response.body.id as string;
  };

  it('holds the target lock: status and the dashboard show it, another apply, a restore, a backup and a snapshot are refused', async () => {
    await backupNow(h, WEU);
    const weuSnapshot = await snapshotOf(WEU);
    const id = await heldApply(weuSnapshot, WEU);
    // The apply runs under the instance's lock, as a restore or a migration would.
    expect(id).toBe(targetLockId(WEU, idOf(WEU)));

    const status = (await h.api('GET', '/api/status')).body as FleetStatus;
    const weu = status.instances.find((i) => i.service === WEU)!;
    expect(weu.restoring).toMatchObject({ operation: id, via: 'snapshot', snapshotName: weuSnapshot, phase: 'checking' });
    const dashboard = await (await fetch(`${h.host.origin}/api/dashboard`)).text();
    expect(dashboard).toContain(`snapshot apply of ${weuSnapshot} running`);

    const again = await h.api('POST', '/api/snapshots/apply', { snapshot: weuSnapshot, target: WEU, confirm: WEU });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain(`a snapshot apply into '${WEU}' is running (operation ${id}`);
    const restore = await h.api('POST', '/api/restores', { source: WEU, target: WEU, confirm: WEU, allowInPlace: true, preRestoreBackup: false });
    expect(restore.status).toBe(409);
    expect(JSON.stringify(restore.body)).toContain(`a snapshot apply into '${WEU}' is running`);
    const backup = await h.api('POST', '/api/backups', { service: WEU });
    expect(backup.status).toBe(409);
    expect(JSON.stringify(backup.body)).toContain(`a snapshot apply into '${WEU}' is running`);
    const snapshot = await h.api('POST', '/api/snapshots', { service: WEU });
    expect([snapshot.status, JSON.stringify(snapshot.body)]).toEqual([409, expect.stringContaining(`a snapshot apply into '${WEU}' is running`)]);

    // Once it ends the instance is free again.
    expect((await runToCompletion(h, id)).runtimeStatus).toBe('Completed');
    const after = (await h.api('GET', '/api/status')).body as FleetStatus;
    expect(after.instances.find((i) => i.service === WEU)!.restoring).toBeUndefined();
    expect((await backupNow(h, WEU)).state).toBe('succeeded');
  });

  it('shows a v2 standby kept by snapshots as restoring while an apply runs into it; a running restore refuses an apply', async () => {
    await backupNow(h, WEU);
    const v2Snapshot = await snapshotOf(V2);
    const id = await heldApply(v2Snapshot, V2_STANDBY);
    const status = (await h.api('GET', '/api/status')).body as FleetStatus;
    const standby = status.instances.find((i) => i.service === V2)!.standbys.find((s) => s.service === V2_STANDBY)!;
    expect(standby).toMatchObject({ state: 'restoring', progress: { operation: id, via: 'snapshot', snapshotName: v2Snapshot } });
    expect((await runToCompletion(h, id)).runtimeStatus).toBe('Completed');

    // A restore running into an instance holds off an apply the same way.
    const weuSnapshot = await snapshotOf(WEU);
    const native = await h.api('POST', '/api/restores', { source: WEU, target: NEU, confirm: NEU, preRestoreBackup: false });
    expect(native.status).toBe(202);
    const refused = await h.api('POST', '/api/snapshots/apply', { snapshot: weuSnapshot, target: NEU, confirm: NEU });
    expect([refused.status, JSON.stringify(refused.body)]).toEqual([409, expect.stringContaining(`a restore into '${NEU}' is running`)]);
  });
});
