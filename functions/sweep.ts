/** The expiry sweep's timer: daily (its orchestration and activities are in the workflow registry). */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { SWEEP_SCHEDULE_SETTING } from '../src/config/appSettings';
import { Orchestrations, SWEEP_INSTANCE_ID } from '../src/workflows/names';
import type { SweepRequest } from '../src/workflows/sweep/types';
import { durableStarter } from '../src/workflows/starter';

app.timer('expirySweep', {
  // Daily at 03:30 UTC unless the app setting says otherwise.
  schedule: `%${SWEEP_SCHEDULE_SETTING}%`,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const request: SweepRequest = { dryRun: false, requestedBy: 'schedule' };
    await durableStarter(df.getClient(context)).start(Orchestrations.sweep, SWEEP_INSTANCE_ID, request);
  },
});
