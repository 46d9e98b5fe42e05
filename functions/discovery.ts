/**
 * Before every function but an orchestrator (which must stay deterministic), the worker's copy of tag discovery's list
 * is brought up to date from the state blob (at most once a minute), so an instance found by the tick on another
 * worker resolves here too. The schedule tick refreshes the list itself.
 */
import { app, type PreInvocationContext } from '@azure/functions';
import { ensureError } from '../src/errors';
import { services } from './services';

export async function syncDiscoveredFleet(context: PreInvocationContext): Promise<void> {
  if (context.invocationContext.options.trigger.type === 'orchestrationTrigger') return;
  try {
    await services().fleet.sync();
  } catch (err) {
    // A missing config or unreachable storage is the function's own error to report; a stale list is not one.
    context.invocationContext.warn(`apim-dr: discovery list not refreshed: ${ensureError(err).message}`);
  }
}

app.hook.preInvocation(syncDiscoveredFleet);
