/** The restore orchestration and its activities. */
import * as df from 'durable-functions';
import { Activities, Orchestrations } from '../src/workflows/names';
import { checkRestoreOperation } from '../src/workflows/restore/checkRestoreOperation';
import { finishRestore } from '../src/workflows/restore/finishRestore';
import { prepareRestore } from '../src/workflows/restore/prepareRestore';
import { restoreOrchestrator } from '../src/workflows/restore/restoreOrchestrator';
import { startRestore } from '../src/workflows/restore/startRestore';
import type { FinishRestoreInput, PrepareRestoreInput, StartRestoreInput } from '../src/workflows/restore/types';
import { services } from './services';

df.app.orchestration(Orchestrations.restore, restoreOrchestrator);

df.app.activity(Activities.prepareRestore, { handler: (input: PrepareRestoreInput) => prepareRestore(services(), input) });
df.app.activity(Activities.startRestore, { handler: (input: StartRestoreInput) => startRestore(services(), input) });
df.app.activity(Activities.checkRestoreOperation, { handler: (input: { recordName: string; token?: string }) => checkRestoreOperation(services(), input) });
df.app.activity(Activities.finishRestore, { handler: (input: FinishRestoreInput) => finishRestore(services(), input) });
