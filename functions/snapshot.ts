/** The snapshot orchestrations, their activities and HTTP routes. */
import * as df from 'durable-functions';
import { snapshotOrchestrator } from '../src/workflows/snapshot/snapshotOrchestrator';
import { SnapshotActivities, SnapshotOrchestrations } from '../src/workflows/snapshot/names';
import { takeSnapshot, type TakeSnapshotInput } from '../src/workflows/snapshot/takeSnapshot';
import { services } from './services';

df.app.orchestration(SnapshotOrchestrations.take, snapshotOrchestrator);
df.app.activity(SnapshotActivities.take, { handler: (input: TakeSnapshotInput) => takeSnapshot(services(), input) });
