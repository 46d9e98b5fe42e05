/**
 * The lifecycle the three operations (backup, restore, migration) share, on the orchestrator side: start the
 * operation once the instance is free, turn the start's answer into the watch's first outcome, and hand over an
 * operation ARM stopped answering about. Deterministic: durable timers and activities only.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { after, setPhase, type OperationStatus, type Unreachable } from './operation';

/** How many times an operation waits for its instance to be free before it gives up (30 × BUSY_RETRY_MS). */
export const MAX_BUSY_WAITS = 30;

/** A start activity's answer: started (with the poller's token), the instance busy with another operation, or refused. */
export type StartAnswer =
  | { status: 'started'; token?: string; pollIntervalMs: number; retryAfterMs?: number }
  | { status: 'busy'; message: string; retryAfterMs: number }
  | { status: 'refused'; code: string; message: string };

type Busy = { status: 'busy'; message: string; retryAfterMs: number };

/**
 * Calls `start` until the instance is free (or `maxWaits` waits have passed): a 409 means someone else's
 * operation runs there, so the orchestration waits on a durable timer and asks again.
 */
export function* startWhenFree<S extends { status: string }>(
  context: OrchestrationContext,
  start: () => Task,
  waiting: (reason: string, busy: Extract<S, Busy>) => OperationStatus,
  maxWaits = MAX_BUSY_WAITS,
): Generator<Task, S, S> {
  let started: S = yield start();
  for (let waits = 1; isBusy(started) && waits <= maxWaits; waits++) {
    setPhase(context, waiting(started.message, started));
    yield context.df.createTimer(after(context, started.retryAfterMs));
    started = yield start();
  }
  return started;
}

export function isBusy<S extends { status: string }>(s: S): s is Extract<S, Busy> {
  return s.status === 'busy';
}

export type FirstOutcome = { status: 'running'; retryAfterMs?: number } | { status: 'failed'; code: string; message: string };

/**
 * What the watch starts from: a started operation is running; one that never started (still busy after every
 * wait, or refused) has failed, with `busyCode` and "the `what` stayed busy" when it was the instance.
 */
export function firstOutcome(started: StartAnswer, busyCode: string, what: string): FirstOutcome {
  if (started.status === 'busy') return { status: 'failed', code: busyCode, message: `the ${what} stayed busy: ${started.message}` };
  if (started.status === 'refused') return { status: 'failed', code: started.code, message: started.message };
  return { status: 'running', retryAfterMs: started.retryAfterMs };
}

/** What the watch polls with: the start's token and interval (none when nothing started). */
export function pollOf(started: StartAnswer): { token?: string; pollIntervalMs: number } {
  return started.status === 'started' ? { token: started.token, pollIntervalMs: started.pollIntervalMs } : { pollIntervalMs: 0 };
}

/**
 * ARM did not answer for as long as the operation can run: it is left `running` (its token in its record or
 * manifest) and the schedule tick adopts it again once ARM answers. The error every unsettled summary carries.
 */
export function unsettledError(outcome: Unreachable, operation: 'backup' | 'restore' | 'migration'): { code: 'ArmUnreachable'; message: string } {
  return {
    code: 'ArmUnreachable',
    message: `status checks have failed since ${outcome.since} (${outcome.message}); the ${operation} may still finish, and the schedule tick will settle it once ARM answers`,
  };
}
