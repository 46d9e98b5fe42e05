/** Configuration-change events from Event Grid (APIM events and ARM resource events), recorded for debounced backups. */
import { app, type EventGridEvent, type InvocationContext } from '@azure/functions';
import { recordChangeEvent } from '../src/workflows/events/recordChangeEvent';
import { services } from './services';

export const CHANGE_EVENTS_FUNCTION = 'onConfigurationChange';

app.eventGrid(CHANGE_EVENTS_FUNCTION, {
  handler: async (event: EventGridEvent, _context: InvocationContext) => {
    await recordChangeEvent(services(), event);
  },
});
