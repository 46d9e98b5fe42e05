/**
 * What only the in-process path needs, loaded when an in-process command starts: the config schema, Services and the
 * Durable replay code are most of what the CLI would load at start, and `--help` and remote commands need none of them.
 */
/** What the commands that only read (status, list, restores, describe, logs) need: the config, Services and the readers. */
async function importReading() {
  const [loadConfig, services, fleetStatus, listRecords, describeEntry, operationLog] = await Promise.all([
    import('../config/loadConfig.js'),
    import('../services.js'),
    import('../workflows/status/fleetStatus.js'),
    import('../workflows/records/listRecords.js'),
    import('../workflows/records/describeEntry.js'),
    import('../workflows/records/operationLog.js'),
  ]);
  return { loadConfig, services, fleetStatus, listRecords, describeEntry, operationLog };
}

/** What the commands that act need besides: the Durable replay code and the workflows. */
async function importActing() {
  const [runInProcess, inProcessStarter, restoreDryRun, checkReadiness, checkMigration, requestMigration, migrationRollback, requestRestore] =
    await Promise.all([
      import('../inProcess/runInProcess.js'),
      import('../inProcess/inProcessStarter.js'),
      import('../workflows/check/restoreDryRun.js'),
      import('../workflows/check/checkReadiness.js'),
      import('../workflows/migrate/checkMigration.js'),
      import('../workflows/migrate/requestMigration.js'),
      import('../workflows/migrate/migrationRollback.js'),
      import('../workflows/restore/requestRestore.js'),
    ]);
  const [applySweep, planSweep, renewBackups, retireRecords, retireApprovals, retireOperationLogs, sweepStaging, takeSnapshot, applySnapshot] =
    await Promise.all([
      import('../workflows/sweep/applySweep.js'),
      import('../workflows/sweep/planSweep.js'),
      import('../workflows/sweep/renewBackups.js'),
      import('../workflows/sweep/retireRecords.js'),
      import('../workflows/sweep/retireApprovals.js'),
      import('../workflows/sweep/retireOperationLogs.js'),
      import('../workflows/sweep/sweepStaging.js'),
      import('../workflows/snapshot/takeSnapshot.js'),
      import('../workflows/snapshot/applySnapshot.js'),
    ]);
  return {
    runInProcess,
    inProcessStarter,
    restoreDryRun,
    checkReadiness,
    checkMigration,
    requestMigration,
    migrationRollback,
    requestRestore,
    takeSnapshot,
    applySnapshot,
    sweep: { ...applySweep, ...planSweep, ...renewBackups, ...retireRecords, ...retireApprovals, ...retireOperationLogs, ...sweepStaging },
  };
}

/** The in-process commands that only read: they load no Durable replay code and no workflow that acts. */
export const READING_COMMANDS: ReadonlySet<string> = new Set(['status', 'list', 'restores', 'describe', 'logs']);

type Reading = Awaited<ReturnType<typeof importReading>>;
type Acting = Awaited<ReturnType<typeof importActing>>;
let reading: Reading | undefined;
let acting: Acting | undefined;

/** Called by main before any in-process command runs; `command` named and only reading: the readers alone. */
export async function loadInProcessModules(command?: string): Promise<void> {
  reading ??= await importReading();
  if (command === undefined || !READING_COMMANDS.has(command)) acting ??= await importActing();
}

function acted(): Acting {
  if (!acting) throw new Error('an in-process command that acts ran with the readers alone: name it outside READING_COMMANDS');
  return acting;
}

function loaded(): Reading {
  if (!reading) throw new Error('an in-process command ran before loadInProcessModules()');
  return reading;
}

export const loadConfigModule = () => loaded().loadConfig;
export const takeSnapshotModule = () => acted().takeSnapshot;
export const applySnapshotModule = () => acted().applySnapshot;
export const servicesModule = () => loaded().services;
export const runInProcessModule = () => acted().runInProcess;
export const inProcessStarterModule = () => acted().inProcessStarter;
export const fleetStatusModule = () => loaded().fleetStatus;
export const restoreDryRunModule = () => acted().restoreDryRun;
export const checkReadinessModule = () => acted().checkReadiness;
export const checkMigrationModule = () => acted().checkMigration;
export const requestMigrationModule = () => acted().requestMigration;
export const migrationRollbackModule = () => acted().migrationRollback;
export const requestRestoreModule = () => acted().requestRestore;
export const listRecordsModule = () => loaded().listRecords;
export const describeEntryModule = () => loaded().describeEntry;
export const operationLogModule = () => loaded().operationLog;
export const sweepModules = () => acted().sweep;

/** YAML for `--output yaml`, remote or not; a package, so a plain deferred require. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const yamlModule = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
