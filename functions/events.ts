/** Configuration-change events from Event Grid (APIM events and ARM resource events), recorded for debounced backups. */
import { trigger, type EventGridEvent, type InvocationContext } from '@azure/functions';
import { recordChangeEvent } from '../src/workflows/events/recordChangeEvent';
import type { FunctionDefinition } from './functionDefinition';
import { services } from './services';

export const CHANGE_EVENTS_FUNCTION = 'onConfigurationChange';

export const changeEvents: FunctionDefinition = {
  name: CHANGE_EVENTS_FUNCTION,
  options: {
    trigger: trigger.eventGrid({}),
    handler: async (event: EventGridEvent, _context: InvocationContext) => {
      await recordChangeEvent(services(), event);
    },
  },
};
