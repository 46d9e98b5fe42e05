/** A v2 source protected by snapshots (no change events) keeping its v2 standby after each snapshot, configured as `standby` says. */
import { startHarness, type Harness } from './harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from './v2Fleet';

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
