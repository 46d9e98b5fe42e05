/** Orchestration and activity names, defined once: functions/ registers them, orchestrators call them. */
export const Orchestrations = {
  backup: 'backupOrchestrator',
  sweep: 'sweepOrchestrator',
  restore: 'restoreOrchestrator',
  migrate: 'migrateOrchestrator',
  /** Watches one backup, restore or migration until it ends: a sub-orchestration of theirs. */
  watch: 'watchOrchestrator',
} as const;

/** The expiry sweep is a singleton: a second start while one runs joins it. */
export const SWEEP_INSTANCE_ID = 'expiry-sweep';

export const Activities = {
  startBackup: 'startBackup',
  checkBackup: 'checkBackup',
  finishBackup: 'finishBackup',
  planSweep: 'planSweep',
  applySweep: 'applySweep',
  renewBackups: 'renewBackups',
  retireRecords: 'retireRecords',
  retireOperationLogs: 'retireOperationLogs',
  sweepStaging: 'sweepStaging',
  prepareRestore: 'prepareRestore',
  startRestore: 'startRestore',
  checkRestoreOperation: 'checkRestoreOperation',
  finishRestore: 'finishRestore',
  prepareMigration: 'prepareMigration',
  startMigration: 'startMigration',
  checkMigrationOperation: 'checkMigrationOperation',
  verifyMigration: 'verifyMigration',
  finishMigration: 'finishMigration',
  migrationState: 'migrationState',
  verifyRequest: 'verifyRequest',
  settleApproval: 'settleApproval',
} as const;
