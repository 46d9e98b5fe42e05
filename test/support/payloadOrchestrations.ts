/** Orchestrations that put a payload of a chosen size where the Durable Task Scheduler measures one. Tests only. */
import type { OrchestrationContext } from 'durable-functions';
import { durableApp, type Registration } from '../../src/inProcess/registration';

/** This file's orchestrations and activities, registered as `df.app` would register them with the worker. */
export const payloadFunctions = new Map<string, Registration>();
const app = durableApp(payloadFunctions);

export type PayloadPlace = 'activity-output' | 'activity-input' | 'custom-status' | 'output' | 'continue-as-new' | 'sub-input';

/** A string whose JSON text is exactly `bytes` long (the quotes count). */
export function jsonOfBytes(bytes: number): string {
  return 'x'.repeat(bytes - 2);
}

app.activity('testMakePayload', { handler: (bytes: number) => jsonOfBytes(bytes) });
app.activity('testMeasure', { handler: (text: string) => text.length });

app.orchestration('testPayload', function* (context: OrchestrationContext) {
  const { place, bytes, round } = context.df.getInput<{ place: PayloadPlace; bytes: number; round?: number }>();
  const big = jsonOfBytes(bytes);
  switch (place) {
    case 'activity-output':
      return yield context.df.callActivity('testMeasure', yield context.df.callActivity('testMakePayload', bytes));
    case 'activity-input':
      return yield context.df.callActivity('testMeasure', big);
    case 'custom-status':
      context.df.setCustomStatus(big);
      return yield context.df.callActivity('testMeasure', 'ok');
    case 'output':
      return big;
    case 'continue-as-new':
      if (round) return round;
      context.df.continueAsNew({ place, bytes: 2, round: 1, ballast: big });
      return undefined;
    case 'sub-input':
      return yield context.df.callSubOrchestrator('testPayloadChild', big);
  }
});

app.orchestration('testPayloadChild', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('testMeasure', context.df.getInput<string>());
});

app.orchestration('testAwaitEvent', function* (context: OrchestrationContext) {
  const payload: string = yield context.df.waitForExternalEvent('data');
  return payload.length;
});

/** Counts executions of `testSlowFirst` per key; the first execution of a key is slow, any later one is quick. */
export const slowFirstCalls = new Map<string, number>();

app.activity('testSlowFirst', {
  handler: async (key: string) => {
    const execution = (slowFirstCalls.get(key) ?? 0) + 1;
    slowFirstCalls.set(key, execution);
    if (execution === 1) for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
    return `execution ${execution}`;
  },
});

app.orchestration('testSlowFirstRun', function* (context: OrchestrationContext) {
  return yield context.df.callActivity('testSlowFirst', context.df.getInput<string>());
});
