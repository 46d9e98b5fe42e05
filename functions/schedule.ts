/** The schedule tick: start the backups that are due, and warn about unprotected instances. */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { TICK_SCHEDULE_SETTING } from '../src/config/appSettings';
import { durableStarter } from '../src/workflows/starter';
import { runScheduleTick } from '../src/workflows/schedule/runScheduleTick';
import { runSnapshotTick } from '../src/workflows/snapshot/snapshotTick';
import { services } from './services';

app.timer('scheduleTick', {
  // Every five minutes unless the app setting says otherwise (the Bicep sets it).
  schedule: `%${TICK_SCHEDULE_SETTING}%`,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    const starter = durableStarter(df.getClient(context));
    await runScheduleTick(services(), starter, context.invocationId);
    await runSnapshotTick(services(), starter);
  },
});
