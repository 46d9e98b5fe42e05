/** The migration orchestration (off stv1, in place or side by side) and its activities. */
import * as df from 'durable-functions';
import { checkMigrationOperation, migrationState } from '../src/workflows/migrate/checkMigrationOperation';
import { finishMigration } from '../src/workflows/migrate/finishMigration';
import { migrateOrchestrator } from '../src/workflows/migrate/migrateOrchestrator';
import { prepareMigration } from '../src/workflows/migrate/prepareMigration';
import { startMigration } from '../src/workflows/migrate/startMigration';
import type { FinishMigrationInput, PrepareMigrationInput, StartMigrationInput } from '../src/workflows/migrate/types';
import { verifyMigration } from '../src/workflows/migrate/verifyMigration';
import { Activities, Orchestrations } from '../src/workflows/names';
import { services } from './services';

df.app.orchestration(Orchestrations.migrate, migrateOrchestrator);

df.app.activity(Activities.prepareMigration, { handler: (input: PrepareMigrationInput) => prepareMigration(services(), input) });
df.app.activity(Activities.startMigration, { handler: (input: StartMigrationInput) => startMigration(services(), input) });
df.app.activity(Activities.checkMigrationOperation, { handler: (input: { recordName: string; token?: string }) => checkMigrationOperation(services(), input) });
df.app.activity(Activities.verifyMigration, { handler: (input: { recordName: string; preMigrationBackup: string }) => verifyMigration(services(), input) });
df.app.activity(Activities.migrationState, { handler: (recordName: string) => migrationState(services(), recordName) });
df.app.activity(Activities.finishMigration, { handler: (input: FinishMigrationInput) => finishMigration(services(), input) });
