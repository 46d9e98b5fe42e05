/**
 * Every orchestration and activity, by name, with its handler and its input and output types: functions/ registers
 * from this list, and the CLI's in-process runner runs from it, so neither names a workflow the other does not.
 */
import type { OrchestrationHandler } from 'durable-functions';
import type { Services } from '../services';
import { settleApproval } from './approval/settleApproval';
import { verifyRequest } from './approval/verifyRequest';
import { backupOrchestrator } from './backup/backupOrchestrator';
import type { BackupRequest } from './backup/types';
import { checkBackup } from './backup/checkBackup';
import { finishBackup } from './backup/finishBackup';
import { startBackup } from './backup/startBackup';
import { checkMigrationOperation, migrationState } from './migrate/checkMigrationOperation';
import { finishMigration } from './migrate/finishMigration';
import { migrateOrchestrator } from './migrate/migrateOrchestrator';
import { prepareMigration } from './migrate/prepareMigration';
import { startMigration } from './migrate/startMigration';
import type { MigrationRequest } from './migrate/types';
import { verifyMigration } from './migrate/verifyMigration';
import { Activities, Orchestrations } from './names';
import { checkRestoreOperation } from './restore/checkRestoreOperation';
import { finishRestore } from './restore/finishRestore';
import { prepareRestore } from './restore/prepareRestore';
import { restoreOrchestrator } from './restore/restoreOrchestrator';
import { startRestore } from './restore/startRestore';
import type { RestoreRequest } from './restore/types';
import { applySnapshot, checkSnapshotApply, type ApplyRequest } from './snapshot/applySnapshot';
import { SnapshotActivities, SnapshotOrchestrations } from './snapshot/names';
import { snapshotApplyOrchestrator } from './snapshot/snapshotApplyOrchestrator';
import { snapshotCheckOrchestrator } from './snapshot/snapshotCheckOrchestrator';
import { snapshotOrchestrator } from './snapshot/snapshotOrchestrator';
import { applyRunStep, finishApplyRun, planApplyRun } from './snapshot/applyInSteps';
import { observeSnapshotTake } from './snapshot/observeSnapshotTake';
import { checkApplyTarget } from './snapshot/prepareApply';
import { userErrorAsOutcome } from './operationError';
import { clearStagedParts, finishSnapshotParts, planSnapshotParts, readSnapshotPart } from './snapshot/snapshotParts';
import { takeSnapshot, type TakeSnapshotInput } from './snapshot/takeSnapshot';
import type { OrchestrationStarter } from './starter';
import { applySweepPage } from './sweep/applySweepPage';
import { planSweepRun } from './sweep/planSweepRun';
import { renewBackupsForRun, retireOperationLogsForRun, retireRecordsForRun } from './sweep/sweepRunSteps';
import { sweepOrchestrator } from './sweep/sweepOrchestrator';
import { sweepStagingForRun } from './sweep/sweepStaging';
import type { SweepRequest } from './sweep/types';
import { watchOrchestrator, type WatchRequest } from './watch';

/** An orchestrator generator and the input it reads with `getInput<Input>()`. */
export interface WorkflowOrchestration<Input = unknown> {
  readonly name: string;
  readonly handler: OrchestrationHandler;
  /** Never set: carries the input type for callers that start this orchestration. */
  readonly input?: Input;
}

/**
 * An activity. `startsOrchestrations` activities get a starter (in Azure, from a durable client input binding);
 * the others never ask for one.
 */
export interface WorkflowActivity<Input = unknown, Output = unknown> {
  readonly name: string;
  readonly startsOrchestrations: boolean;
  run(services: Services, input: Input, starter: () => OrchestrationStarter): Promise<Output>;
}

function orchestration<Input>(name: string, handler: OrchestrationHandler): WorkflowOrchestration<Input> {
  return { name, handler };
}

function activity<Input, Output>(name: string, run: (services: Services, input: Input) => Promise<Output>): WorkflowActivity<Input, Output> {
  return { name, startsOrchestrations: false, run: (services, input) => run(services, input) };
}

function startingActivity<Input, Output>(
  name: string,
  run: (services: Services, starter: OrchestrationStarter, input: Input) => Promise<Output>,
): WorkflowActivity<Input, Output> {
  return { name, startsOrchestrations: true, run: (services, input, starter) => run(services, starter(), input) };
}

export const workflowOrchestrations = {
  backup: orchestration<BackupRequest>(Orchestrations.backup, backupOrchestrator),
  restore: orchestration<RestoreRequest>(Orchestrations.restore, restoreOrchestrator),
  migrate: orchestration<MigrationRequest>(Orchestrations.migrate, migrateOrchestrator),
  sweep: orchestration<SweepRequest>(Orchestrations.sweep, sweepOrchestrator),
  watch: orchestration<WatchRequest>(Orchestrations.watch, watchOrchestrator),
  snapshot: orchestration<TakeSnapshotInput>(SnapshotOrchestrations.take, snapshotOrchestrator),
  snapshotApply: orchestration<ApplyRequest>(SnapshotOrchestrations.apply, snapshotApplyOrchestrator),
  snapshotCheck: orchestration<ApplyRequest>(SnapshotOrchestrations.check, snapshotCheckOrchestrator),
} as const;

export const workflowActivities = {
  startBackup: activity(Activities.startBackup, startBackup),
  checkBackup: activity(Activities.checkBackup, checkBackup),
  finishBackup: activity(Activities.finishBackup, finishBackup),
  // Each sweep step takes its run's ID (and a digest), never a list: the plan and the outcomes stay in storage.
  planSweep: activity(Activities.planSweep, planSweepRun),
  applySweep: activity(Activities.applySweep, applySweepPage),
  retireRecords: activity(Activities.retireRecords, retireRecordsForRun),
  retireOperationLogs: activity(Activities.retireOperationLogs, retireOperationLogsForRun),
  renewBackups: startingActivity(Activities.renewBackups, renewBackupsForRun),
  // Asks the task hub whether a staged run's orchestration still runs before removing what it left.
  sweepStaging: startingActivity(Activities.sweepStaging, sweepStagingForRun),
  prepareRestore: activity(Activities.prepareRestore, prepareRestore),
  startRestore: activity(Activities.startRestore, startRestore),
  checkRestoreOperation: activity(Activities.checkRestoreOperation, checkRestoreOperation),
  finishRestore: activity(Activities.finishRestore, finishRestore),
  prepareMigration: activity(Activities.prepareMigration, prepareMigration),
  startMigration: activity(Activities.startMigration, startMigration),
  checkMigrationOperation: activity(Activities.checkMigrationOperation, checkMigrationOperation),
  verifyMigration: activity(Activities.verifyMigration, verifyMigration),
  migrationState: activity(Activities.migrationState, migrationState),
  finishMigration: activity(Activities.finishMigration, finishMigration),
  // Every restore and migration starts with these: its request checked against the edge's record, then the approval.
  verifyRequest: activity(Activities.verifyRequest, verifyRequest),
  settleApproval: activity(Activities.settleApproval, settleApproval),
  takeSnapshot: activity(SnapshotActivities.take, takeSnapshot),
  // A snapshot is read in parts (a type or a page of APIs each), so no activity runs unbounded.
  planSnapshotParts: activity(SnapshotActivities.planParts, planSnapshotParts),
  readSnapshotPart: activity(SnapshotActivities.readPart, readSnapshotPart),
  finishSnapshotParts: activity(SnapshotActivities.finishParts, finishSnapshotParts),
  clearSnapshotParts: activity(SnapshotActivities.clearParts, clearStagedParts),
  observeSnapshotTake: activity(SnapshotActivities.observeTake, observeSnapshotTake),
  checkSnapshotApply: activity(SnapshotActivities.checkApply, checkSnapshotApply),
  checkSnapshotApplyTarget: activity(SnapshotActivities.checkTarget, checkApplyTarget),
  checkSnapshotApplyOutcome: activity(SnapshotActivities.checkApplyOutcome, (s, input: ApplyRequest) => userErrorAsOutcome(() => checkSnapshotApply(s, input))),
  checkSnapshotApplyTargetOutcome: activity(SnapshotActivities.checkTargetOutcome, (s, input: ApplyRequest) =>
    userErrorAsOutcome(() => checkApplyTarget(s, input)),
  ),
  applySnapshot: activity(SnapshotActivities.apply, applySnapshot),
  // An apply runs in steps (a plan, then one dependency level at a time in chunks), each payload a few hundred bytes.
  planApplyRun: activity(SnapshotActivities.planApply, planApplyRun),
  applyRunStep: activity(SnapshotActivities.applyStep, applyRunStep),
  finishApplyRun: activity(SnapshotActivities.finishApply, finishApplyRun),
} as const;

/** The registry as lists, in the order functions/ registers them. */
export const orchestrationList: readonly WorkflowOrchestration[] = Object.values(workflowOrchestrations);
// Method parameters are bivariant, so each typed activity is a WorkflowActivity of unknown input here.
export const activityList: readonly WorkflowActivity[] = Object.values(workflowActivities);
