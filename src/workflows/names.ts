/** Orchestration and activity names, defined once: functions/ registers them, orchestrators call them. */
export const Orchestrations = {
  backup: 'backupOrchestrator',
} as const;

export const Activities = {
  startBackup: 'startBackup',
  checkBackup: 'checkBackup',
  finishBackup: 'finishBackup',
} as const;
