/** Small orchestrations that exercise each durable feature the local host supports. Registered only in tests. */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { durableApp, type Registration } from '../../src/inProcess/registration';

/** This file's orchestrations and activities, registered as `df.app` would register them with the worker. */
export const testFunctions = new Map<string, Registration>();
const app = durableApp(testFunctions);

export const flakyCalls = new Map<string, number>();

app.activity('testFlaky', {
  handler: (input: { key: string; failTimes: number }) => {
    const calls = (flakyCalls.get(input.key) ?? 0) + 1;
    flakyCalls.set(input.key, calls);
    if (calls <= input.failTimes) throw new Error(`flaky failure ${calls}`);
    return calls;
  },
});

app.activity('testDouble', { handler: (n: number) => n * 2 });

app.orchestration('testRetry', function* (context: OrchestrationContext) {
  const retry = new df.RetryOptions(1_000, 3);
  retry.backoffCoefficient = 2;
  return yield context.df.callActivityWithRetry('testFlaky', retry, context.df.getInput());
});

app.orchestration('testFanOut', function* (context: OrchestrationContext) {
  const inputs = context.df.getInput<number[] | undefined>() ?? [1, 2, 3];
  return yield context.df.Task.all(inputs.map((n) => context.df.callActivity('testDouble', n)));
});

app.orchestration('testRace', function* (context: OrchestrationContext) {
  const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3_600_000));
  const approval = context.df.waitForExternalEvent('approve');
  const winner = yield context.df.Task.any([timer, approval]);
  if (winner === approval) {
    timer.cancel();
    return { approved: approval.result };
  }
  return 'timed-out';
});

app.orchestration('testParent', function* (context: OrchestrationContext) {
  const child = yield context.df.callSubOrchestrator('testFanOut', [5, 6], `${context.df.instanceId}-child`);
  return { child };
});

app.orchestration('testCounter', function* (context: OrchestrationContext) {
  const n = context.df.getInput<number>();
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
  if (n < 3) {
    context.df.continueAsNew(n + 1);
    return undefined;
  }
  return n;
});

app.orchestration('testNondeterministic', function* (context: OrchestrationContext) {
  // Wrong on purpose: reads the wall clock, so each replay asks for a different activity input.
  yield context.df.callActivity('testDouble', Date.now() + Math.random());
  yield context.df.callActivity('testDouble', 1);
  return 'unreachable';
});

class NotRetriedHere extends Error {
  override name = 'NotRetriedHere';
}

app.activity('testRefuse', {
  handler: () => {
    throw new NotRetriedHere('refused on purpose');
  },
});

/** Catches a failed activity and reports what durable-functions handed it, as an orchestrator that inspects failures would see it. */
app.orchestration('testCatch', function* (context: OrchestrationContext) {
  try {
    yield context.df.callActivity('testRefuse', null);
    return 'not reached';
  } catch (err) {
    const e = err as Error & { failureDetails?: { errorType: string; errorMessage: string } };
    return { name: e.name, errorType: e.failureDetails?.errorType, errorMessage: e.failureDetails?.errorMessage };
  }
});
