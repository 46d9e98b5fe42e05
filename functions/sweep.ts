/** The expiry sweep: daily, and after each backup (for that instance). */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { SWEEP_SCHEDULE_SETTING } from '../src/config/appSettings';
import { Activities, Orchestrations, SWEEP_INSTANCE_ID } from '../src/workflows/names';
import { applySweepPage } from '../src/workflows/sweep/applySweepPage';
import { planSweepRun } from '../src/workflows/sweep/planSweepRun';
import { renewBackupsForRun, retireRecordsForRun, type RunRecordsRequest, type RunRenewalsRequest } from '../src/workflows/sweep/sweepRunSteps';
import { sweepOrchestrator } from '../src/workflows/sweep/sweepOrchestrator';
import type { SweepPageRequest, SweepRequest, SweepRunRequest } from '../src/workflows/sweep/types';
import { durableStarter } from '../src/workflows/starter';
import { services } from './services';

df.app.orchestration(Orchestrations.sweep, sweepOrchestrator);

// Each step takes its run's ID (and a digest), never a list: the plan and the outcomes stay in storage.
df.app.activity(Activities.planSweep, { handler: (request: SweepRunRequest) => planSweepRun(services(), request) });
df.app.activity(Activities.applySweep, { handler: (request: SweepPageRequest) => applySweepPage(services(), request) });
df.app.activity(Activities.retireRecords, { handler: (request: RunRecordsRequest) => retireRecordsForRun(services(), request) });
df.app.activity(Activities.renewBackups, {
  extraInputs: [df.input.durableClient()],
  handler: (request: RunRenewalsRequest, context: InvocationContext) => renewBackupsForRun(services(), durableStarter(df.getClient(context)), request),
});

app.timer('expirySweep', {
  // Daily at 03:30 UTC unless the app setting says otherwise.
  schedule: `%${SWEEP_SCHEDULE_SETTING}%`,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const request: SweepRequest = { dryRun: false, requestedBy: 'schedule' };
    await durableStarter(df.getClient(context)).start(Orchestrations.sweep, SWEEP_INSTANCE_ID, request);
  },
});
