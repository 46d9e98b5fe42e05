/** The backup orchestration and its activities. */
import * as df from 'durable-functions';
import { backupOrchestrator } from '../src/workflows/backup/backupOrchestrator';
import { checkBackup } from '../src/workflows/backup/checkBackup';
import { finishBackup } from '../src/workflows/backup/finishBackup';
import { startBackup } from '../src/workflows/backup/startBackup';
import type { CheckBackupInput, FinishBackupInput, StartBackupInput } from '../src/workflows/backup/types';
import { Activities, Orchestrations } from '../src/workflows/names';
import { services } from './services';

df.app.orchestration(Orchestrations.backup, backupOrchestrator);

df.app.activity(Activities.startBackup, { handler: (input: StartBackupInput) => startBackup(services(), input) });
df.app.activity(Activities.checkBackup, { handler: (input: CheckBackupInput) => checkBackup(services(), input) });
df.app.activity(Activities.finishBackup, { handler: (input: FinishBackupInput) => finishBackup(services(), input) });
