/** The schedule tick: every five minutes, start the backups that are due. */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { durableStarter } from '../src/workflows/starter';
import { runScheduleTick } from '../src/workflows/schedule/runScheduleTick';
import { services } from './services';

export const SCHEDULE_TICK = '0 */5 * * * *';

app.timer('scheduleTick', {
  schedule: SCHEDULE_TICK,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext) => {
    await runScheduleTick(services(), durableStarter(df.getClient(context)), context.invocationId);
  },
});
