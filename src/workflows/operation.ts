/**
 * What every long-running workflow shares: the retry policy for transient activity failures, the wait before
 * asking a busy instance again, what a status check answers, and the phases an operation's custom status reports.
 * Watching an operation until it ends is in watch.ts.
 */
import * as df from 'durable-functions';
import { ensureError, UserError } from '../errors';
import type { OrchestrationContext, Task } from 'durable-functions';

/** The retry policy of every activity: first wait, attempts, backoff, longest wait. */
export const ACTIVITY_RETRY = { firstRetryMs: 5_000, attempts: 5, backoff: 2, maxRetryMs: 60_000 } as const;

/** host.json's `functionTimeout`: no attempt of an activity runs longer (a unit test holds the two equal). */
export const FUNCTION_TIMEOUT_MS = 10 * 60_000;

/** Transient failures (ARM 5xx after the SDK's own retries, storage hiccups) are retried with backoff; user errors never reach it. */
export function activityRetry(): df.RetryOptions {
  const retry = new df.RetryOptions(ACTIVITY_RETRY.firstRetryMs, ACTIVITY_RETRY.attempts);
  retry.backoffCoefficient = ACTIVITY_RETRY.backoff;
  retry.maxRetryIntervalInMilliseconds = ACTIVITY_RETRY.maxRetryMs;
  return retry;
}

/**
 * The longest one activity can take, retries included: every attempt up to the function timeout, and the waits between
 * them (5 × 10 min + 5 + 10 + 20 + 40 s = 51 min 15 s).
 */
export function activityBoundMs(): number {
  let waits = 0;
  for (let retry = 0; retry < ACTIVITY_RETRY.attempts - 1; retry++)
    waits += Math.min(ACTIVITY_RETRY.firstRetryMs * ACTIVITY_RETRY.backoff ** retry, ACTIVITY_RETRY.maxRetryMs);
  return ACTIVITY_RETRY.attempts * FUNCTION_TIMEOUT_MS + waits;
}

/** How long to wait before asking again when the instance is busy with another operation. */
export const BUSY_RETRY_MS = 60_000;

/** How soon to look at the instance after a POST whose answer was lost: it shows `Updating` if ARM took it. */
export const ANSWER_LOST_RETRY_MS = 15_000;

/** Every phase an operation's custom status reports (`GET /api/operations/{id}`). */
export type OperationPhase =
  | 'checking'
  | 'awaiting-approval'
  | 'pre-restore-backup'
  | 'pre-migration-backup'
  | 'migrating'
  | 'post-migration-backup'
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

/**
 * A status check's answer: `running` keeps the watch waiting (for `retryAfterMs` when ARM says so);
 * `unreachable` means ARM or storage could not be asked, which says nothing about the operation itself.
 */
export interface MonitoredOutcome {
  status: string;
  retryAfterMs?: number;
}

/** ARM or storage did not answer a status check (after the SDK's and the activity's retries). */
export interface Unreachable {
  status: 'unreachable';
  message: string;
  /** When the checks began to fail. */
  since?: string;
}

/** For start activities: a user error (a missing role or app setting) refuses the operation, never retried. */
export async function refuseUserErrors<O>(start: () => Promise<O>): Promise<O | { status: 'refused'; code: string; message: string }> {
  try {
    return await start();
  } catch (err) {
    if (err instanceof UserError) return { status: 'refused', code: err.code, message: err.message };
    throw err;
  }
}

/**
 * For status-check activities: a check that cannot reach ARM or storage answers `unreachable` instead of failing
 * the orchestration; a user error (a role removed, an instance deleted) fails the operation with its fix.
 */
export async function checkOrUnreachable<O>(check: () => Promise<O>): Promise<O | Unreachable | { status: 'failed'; code: string; message: string }> {
  try {
    return await check();
  } catch (err) {
    if (err instanceof UserError) return { status: 'failed', code: err.code, message: err.message };
    return { status: 'unreachable', message: ensureError(err).message };
  }
}

/** Runs a sub-orchestration; a failed one yields undefined (its reason is in its own history and logs). */
export function* subOrchestration<T>(context: OrchestrationContext, name: string, input: unknown, instanceId: string): Generator<Task, T | undefined, T> {
  try {
    return yield context.df.callSubOrchestrator(name, input, instanceId);
  } catch {
    return undefined;
  }
}
