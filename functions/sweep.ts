/** The expiry sweep: daily, and after each backup (for that instance). */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { SWEEP_SCHEDULE_SETTING } from '../src/config/appSettings';
import type { Protection } from '../src/domain/protection';
import type { SweepItem } from '../src/domain/sweepPlan';
import { Activities, Orchestrations, SWEEP_INSTANCE_ID } from '../src/workflows/names';
import { applySweep } from '../src/workflows/sweep/applySweep';
import { planSweep } from '../src/workflows/sweep/planSweep';
import { renewBackups } from '../src/workflows/sweep/renewBackups';
import { retireRecords } from '../src/workflows/sweep/retireRecords';
import { sweepOrchestrator } from '../src/workflows/sweep/sweepOrchestrator';
import type { SweepRequest } from '../src/workflows/sweep/types';
import { durableStarter } from '../src/workflows/starter';
import { services } from './services';

df.app.orchestration(Orchestrations.sweep, sweepOrchestrator);

df.app.activity(Activities.planSweep, { handler: (service: string | undefined) => planSweep(services(), service ?? undefined) });
df.app.activity(Activities.applySweep, { handler: (items: SweepItem[]) => applySweep(services(), items) });
df.app.activity(Activities.retireRecords, { handler: (dryRun: boolean) => retireRecords(services(), dryRun) });
df.app.activity(Activities.renewBackups, {
  extraInputs: [df.input.durableClient()],
  handler: (protection: Protection[], context: InvocationContext) => renewBackups(services(), durableStarter(df.getClient(context)), protection),
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
