/** A minimal config of one v2 source with one standby synced after each snapshot, with `standby`'s extra fields. */
export const STANDBY_FIELD = 'services[0].standbys[0]';

export const SERVICE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-v2-weu';
export const STANDBY = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-v2-neu';

export const standbyConfig = (standby: Record<string, unknown>) => ({
  storage: { account: 'backupacct', container: 'apim-backups' },
  services: [{ id: SERVICE, snapshots: {}, standbys: [{ id: STANDBY, sync: 'after-backup', ...standby }] }],
});
