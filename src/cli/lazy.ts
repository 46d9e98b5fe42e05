/**
 * What only the in-process path needs, loaded when an in-process command starts: the config schema, Services and the
 * Durable replay code are most of what the CLI would load at start, and `--help` and remote commands need none of them.
 */
async function importAll() {
  const [loadConfig, services, runInProcess, inProcessStarter, fleetStatus, restoreDryRun, checkReadiness, checkMigration, requestMigration] =
    await Promise.all([
      import('../config/loadConfig.js'),
      import('../services.js'),
      import('../inProcess/runInProcess.js'),
      import('../inProcess/inProcessStarter.js'),
      import('../workflows/status/fleetStatus.js'),
      import('../workflows/check/restoreDryRun.js'),
      import('../workflows/check/checkReadiness.js'),
      import('../workflows/migrate/checkMigration.js'),
      import('../workflows/migrate/requestMigration.js'),
    ]);
  const [migrationRollback, requestRestore, listRecords, describeEntry, operationLog, applySweep, planSweep, renewBackups, retireRecords] = await Promise.all([
    import('../workflows/migrate/migrationRollback.js'),
    import('../workflows/restore/requestRestore.js'),
    import('../workflows/records/listRecords.js'),
    import('../workflows/records/describeEntry.js'),
    import('../workflows/records/operationLog.js'),
    import('../workflows/sweep/applySweep.js'),
    import('../workflows/sweep/planSweep.js'),
    import('../workflows/sweep/renewBackups.js'),
    import('../workflows/sweep/retireRecords.js'),
  ]);
  const [takeSnapshot, applySnapshot] = await Promise.all([import('../workflows/snapshot/takeSnapshot.js'), import('../workflows/snapshot/applySnapshot.js')]);
  return {
    takeSnapshot,
    applySnapshot,
    loadConfig,
    services,
    runInProcess,
    inProcessStarter,
    fleetStatus,
    restoreDryRun,
    checkReadiness,
    checkMigration,
    requestMigration,
    migrationRollback,
    requestRestore,
    listRecords,
    describeEntry,
    operationLog,
    sweep: { ...applySweep, ...planSweep, ...renewBackups, ...retireRecords },
  };
}

type InProcessModules = Awaited<ReturnType<typeof importAll>>;
let modules: InProcessModules | undefined;

/** Called by main before any in-process command runs. */
export async function loadInProcessModules(): Promise<void> {
  modules ??= await importAll();
}

function loaded(): InProcessModules {
  if (!modules) throw new Error('an in-process command ran before loadInProcessModules()');
  return modules;
}

export const loadConfigModule = () => loaded().loadConfig;
export const takeSnapshotModule = () => loaded().takeSnapshot;
export const applySnapshotModule = () => loaded().applySnapshot;
export const servicesModule = () => loaded().services;
export const runInProcessModule = () => loaded().runInProcess;
export const inProcessStarterModule = () => loaded().inProcessStarter;
export const fleetStatusModule = () => loaded().fleetStatus;
export const restoreDryRunModule = () => loaded().restoreDryRun;
export const checkReadinessModule = () => loaded().checkReadiness;
export const checkMigrationModule = () => loaded().checkMigration;
export const requestMigrationModule = () => loaded().requestMigration;
export const migrationRollbackModule = () => loaded().migrationRollback;
export const requestRestoreModule = () => loaded().requestRestore;
export const listRecordsModule = () => loaded().listRecords;
export const describeEntryModule = () => loaded().describeEntry;
export const operationLogModule = () => loaded().operationLog;
export const sweepModules = () => loaded().sweep;

/** YAML for `--output yaml`, remote or not; a package, so a plain deferred require. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const yamlModule = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
