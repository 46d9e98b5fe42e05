/** The schedule tick: start the backups that are due, and warn about unprotected instances. */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { TICK_SCHEDULE_SETTING } from '../src/config/appSettings';
import { durableStarter } from '../src/workflows/starter';
import { runScheduleTick } from '../src/workflows/schedule/runScheduleTick';
import { services } from './services';

app.timer('scheduleTick', {
  // Every five minutes unless the app setting says otherwise (the Bicep sets it).
  schedule: `%${TICK_SCHEDULE_SETTING}%`,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    await runScheduleTick(services(), durableStarter(df.getClient(context)), context.invocationId);
  },
});
