/** A v2 source protected by snapshots (no change events) keeping its v2 standby after each snapshot, configured as `standby` says. */
import { expect } from 'vitest';
import { snapshotApplyInstanceId } from '../../src/workflows/snapshot/names';
import { takeSnapshot } from '../../src/workflows/snapshot/takeSnapshot';
import { runToCompletion, startHarness, type Harness } from './harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from './v2Fleet';

/** The orchestration ID of an apply into the standby (one at a time). */
export const STANDBY_APPLY_ID = snapshotApplyInstanceId(V2_STANDBY, idOf(V2_STANDBY));

/** A snapshot of the source, the tick that syncs it into the standby, and that apply run to completion: its record. */
export async function syncOnce(h: Harness): Promise<{ snapshotName: string; output: unknown }> {
  const { snapshotName } = await takeSnapshot(h.services, { serviceId: V2, trigger: 'manual', requestedBy: 'test' });
  await h.host.invokeTimer('scheduleTick');
  const instance = await runToCompletion(h, STANDBY_APPLY_ID);
  expect(instance.runtimeStatus).toBe('Completed');
  return { snapshotName, output: instance.output };
}

export function startSyncedV2Standby(standby: Record<string, unknown>, settings?: Record<string, string>): Promise<Harness> {
  return startHarness({
    services: V2_SERVICES,
    ...(settings ? { settings } : {}),
    config: (sandbox) => {
      const config = v2Config(sandbox) as { services: { id: string; [k: string]: unknown }[] };
      for (const s of config.services) {
        if (!s.id.endsWith(`/${V2}`)) continue;
        s.snapshots = { afterChange: false };
        s.standbys = [{ id: idOf(V2_STANDBY), sync: 'after-backup', ...standby }];
      }
      return config;
    },
  });
}
