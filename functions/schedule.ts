/** The schedule tick: start the backups that are due, and warn about unprotected instances. */
import { TICK_SCHEDULE_SETTING } from '../src/config/appSettings';
import { runScheduleTick } from '../src/workflows/schedule/runScheduleTick';
import { runSnapshotTick } from '../src/workflows/snapshot/snapshotTick';
import { timerFunction } from './functionDefinition';
import { services } from './services';

// Every five minutes unless the app setting says otherwise (the Bicep sets it).
export const scheduleTick = timerFunction('scheduleTick', TICK_SCHEDULE_SETTING, async (starter, context) => {
  await runScheduleTick(services(), starter, context.invocationId);
  await runSnapshotTick(services(), starter);
});
