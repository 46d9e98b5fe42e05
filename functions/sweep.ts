/** The expiry sweep's timer (its orchestration and activities are in the workflow registry). */
import { SWEEP_SCHEDULE_SETTING } from '../src/config/appSettings';
import { Orchestrations, SWEEP_INSTANCE_ID } from '../src/workflows/names';
import type { SweepRequest } from '../src/workflows/sweep/types';
import { timerFunction } from './functionDefinition';

// Daily at 03:30 UTC unless the app setting says otherwise.
export const expirySweep = timerFunction('expirySweep', SWEEP_SCHEDULE_SETTING, async (starter) => {
  const request: SweepRequest = { dryRun: false, requestedBy: 'schedule' };
  await starter.start(Orchestrations.sweep, SWEEP_INSTANCE_ID, request);
});
