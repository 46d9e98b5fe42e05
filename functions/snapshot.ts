/** The snapshot orchestrations, their activities and HTTP routes. */
import * as df from 'durable-functions';
import { applySnapshot, checkSnapshotApply, type ApplyInput, type ApplyRequest } from '../src/workflows/snapshot/applySnapshot';
import { applyRunStep, finishApplyRun, planApplyRun, type ApplyRunInput, type ApplyStepInput } from '../src/workflows/snapshot/applyInSteps';
import { observeSnapshotTake, type SnapshotTakeOutcome } from '../src/workflows/snapshot/observeSnapshotTake';
import { snapshotApplyOrchestrator } from '../src/workflows/snapshot/snapshotApplyOrchestrator';
import { snapshotOrchestrator } from '../src/workflows/snapshot/snapshotOrchestrator';
import { SnapshotActivities, SnapshotOrchestrations } from '../src/workflows/snapshot/names';
import { takeSnapshot, type TakeSnapshotInput } from '../src/workflows/snapshot/takeSnapshot';
import {
  finishSnapshotParts,
  planSnapshotParts,
  readSnapshotPart,
  type FinishPartsInput,
  type SnapshotPartInput,
} from '../src/workflows/snapshot/snapshotParts';
import { services } from './services';

df.app.orchestration(SnapshotOrchestrations.take, snapshotOrchestrator);
df.app.activity(SnapshotActivities.take, { handler: (input: TakeSnapshotInput) => takeSnapshot(services(), input) });

df.app.activity(SnapshotActivities.planParts, { handler: (input: TakeSnapshotInput) => planSnapshotParts(services(), input) });
df.app.activity(SnapshotActivities.readPart, { handler: (input: SnapshotPartInput) => readSnapshotPart(services(), input) });
df.app.activity(SnapshotActivities.finishParts, { handler: (input: FinishPartsInput) => finishSnapshotParts(services(), input) });

df.app.activity(SnapshotActivities.observeTake, { handler: (input: SnapshotTakeOutcome) => observeSnapshotTake(services(), input) });

df.app.orchestration(SnapshotOrchestrations.apply, snapshotApplyOrchestrator);
df.app.activity(SnapshotActivities.checkApply, { handler: (input: ApplyRequest) => checkSnapshotApply(services(), input) });
df.app.activity(SnapshotActivities.apply, { handler: (input: ApplyInput) => applySnapshot(services(), input) });
df.app.activity(SnapshotActivities.planApply, { handler: (input: ApplyRunInput) => planApplyRun(services(), input) });
df.app.activity(SnapshotActivities.applyStep, { handler: (input: ApplyStepInput) => applyRunStep(services(), input) });
df.app.activity(SnapshotActivities.finishApply, { handler: (input: ApplyRunInput & { steps: number }) => finishApplyRun(services(), input) });
