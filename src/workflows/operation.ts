/**
 * What every long-running workflow shares: the retry policy for transient activity failures, the wait before
 * asking a busy instance again, the monitor loop (durable timer, one status check, until done) and the phases
 * an operation's custom status reports.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';

/** Transient failures (ARM 5xx after the SDK's own retries, storage hiccups) are retried with backoff; user errors never reach it. */
export function activityRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(5_000, 5);
  retry.backoffCoefficient = 2;
  retry.maxRetryIntervalInMilliseconds = 60_000;
  return retry;
}

/** How long to wait before asking again when the instance is busy with another operation. */
export const BUSY_RETRY_MS = 60_000;

/** Every phase an operation's custom status reports (`GET /api/operations/{id}`). */
export type OperationPhase =
  | 'checking'
  | 'pre-restore-backup'
  | 'waiting'
  | 'running'
  | 'restoring'
  | 'finishing'
  | 'verifying'
  | 'sweeping'
  | 'planning'
  | 'applying'
  | 'renewing'
  | 'refused'
  | 'succeeded'
  | 'failed'
  | 'expired';

/** An operation's custom status: its phase and what the phase reports (backup, polls, percent, warnings…). */
export type OperationStatus = { phase: OperationPhase } & Record<string, unknown>;

export function setPhase(context: OrchestrationContext, status: OperationStatus): void {
  context.df.setCustomStatus(status);
}

/** The orchestration's time plus `ms`: for durable timers (never the wall clock). */
export function after(context: OrchestrationContext, ms: number): Date {
  return new Date(context.df.currentUtcDateTime.getTime() + ms);
}

/** A status check's answer: `running` keeps the monitor waiting (for `retryAfterMs` when ARM says so). */
export interface MonitoredOutcome {
  status: string;
  retryAfterMs?: number;
}

export interface MonitorOptions<O extends MonitoredOutcome> {
  /** The outcome the start activity implied: `running`, with ARM's first `Retry-After` if it sent one. */
  first: O;
  /** The wait between checks when ARM sends no `Retry-After`. */
  pollIntervalMs: number;
  /** The custom status to show before each wait. */
  status: (polls: number) => OperationStatus;
  /** Schedules one status check. */
  check: () => Task;
}

/** The monitor pattern: wait on a durable timer, check once, until the operation is no longer running. */
export function* monitor<O extends MonitoredOutcome>(
  context: OrchestrationContext,
  options: MonitorOptions<O>,
): Generator<Task, Exclude<O, { status: 'running' }>, O> {
  let outcome = options.first;
  for (let polls = 1; outcome.status === 'running'; polls++) {
    setPhase(context, options.status(polls));
    yield context.df.createTimer(after(context, outcome.retryAfterMs ?? options.pollIntervalMs));
    outcome = yield options.check();
  }
  return outcome as Exclude<O, { status: 'running' }>;
}
