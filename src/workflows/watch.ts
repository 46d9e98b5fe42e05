/**
 * Watching a long-running ARM operation (a backup, restore or migration) until it ends: a durable timer, one status
 * check, again. The watch is a sub-orchestration that starts a fresh history (continue-as-new) every
 * POLLS_PER_EXECUTION checks, so no history grows past about 100 events however long the operation or an outage
 * lasts, and an episode late in a long wait replays no more than one early on. The checks follow the poll plan:
 * sparse before the operation's completion window, dense inside it.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { nextCheckInMs, type CompletionWindow } from '../domain/pollPlan';
import { progressPercent } from '../domain/progressPercent';
import { ensureError } from '../errors';
import { Activities, Orchestrations } from './names';
import { activityRetry, after, setPhase, type MonitoredOutcome, type OperationStatus, type Unreachable } from './operation';

/** Checks per execution of the watch before it continues as new: about 8 history events each. */
export const POLLS_PER_EXECUTION = 10;

/** The longest wait between two checks while ARM does not answer. */
export const OUTAGE_BACKOFF_CAP_MS = 15 * 60_000;

/** How long an operation can plausibly run: the watch outlives an outage this long before it hands over. */
export const OUTAGE_LIMIT_MS = { backup: 6 * 3_600_000, restore: 12 * 3_600_000, migrate: 6 * 3_600_000 } as const;

/**
 * The only activities a watch calls, by the kind of operation it follows. A watch's input names a kind, never an
 * activity: a watch started with any other input (through the Durable API, say) must not reach the sweep's deletes.
 */
export const WATCH_CHECKS = {
  backup: Activities.checkBackup,
  restore: Activities.checkRestoreOperation,
  migration: Activities.checkMigrationOperation,
} as const;
export type WatchedKind = keyof typeof WATCH_CHECKS;

export interface WatchRequest {
  /** The kind of operation (which decides the status-check activity) and the check's input. */
  check: { kind: WatchedKind; input: unknown };
  /** The outcome the start activity implied: `running`, with ARM's first `Retry-After` if it sent one. */
  first: MonitoredOutcome | Unreachable;
  /** The configured wait between checks, when ARM sends no `Retry-After` and nothing is known of the operation. */
  pollIntervalMs: number;
  /** How long checks may fail in a row before the watch returns `unreachable` (the operation may still run). */
  outageLimitMs: number;
  /** What elapsed time counts from: the instant the earlier durations behind `window` and `expectedMs` were measured from. */
  startedAt: string;
  /** Where earlier runs of this operation finished (from its history); without it, checks are `pollIntervalMs` apart. */
  window?: CompletionWindow;
  /** What the operation usually takes: the status shows the percent of it. */
  expectedMs?: number;
  /** Shown after this long, as `overdue`. */
  overdue?: { afterMs: number; message: string };
  /** The custom status shown while watching; `polls` and, with `expectedMs`, `percent` are added. */
  status: OperationStatus;
  /** State carried across continue-as-new. */
  carried?: { polls: number; failures: number; since?: number };
}

/**
 * For the operation's orchestrator: watches as a sub-orchestration and returns how the operation ended, or
 * `unreachable` when ARM or storage did not answer for the whole outage limit (reconciliation settles it later).
 * While it runs, the parent's status names the watch, and `operationStatus` shows the watch's progress.
 */
export function* watch<O extends MonitoredOutcome>(
  context: OrchestrationContext,
  request: WatchRequest,
): Generator<Task, Exclude<O, { status: 'running' }> | Unreachable, Exclude<O, { status: 'running' }> | Unreachable> {
  if (request.first.status !== 'running' && request.first.status !== 'unreachable') return request.first as Exclude<O, { status: 'running' }>;
  const now = context.df.currentUtcDateTime;
  const id = `${context.df.instanceId}-watch-${now.getTime()}`;
  setPhase(context, { ...request.status, watch: id });
  try {
    return yield context.df.callSubOrchestrator(Orchestrations.watch, request, id);
  } catch (err) {
    // Only a fault in the watch itself lands here (its checks answer `unreachable` rather than fail): hand over as in an outage.
    return { status: 'unreachable', message: `the watch ${id} failed: ${ensureError(err).message}`, since: now.toISOString() };
  }
}

/**
 * The watch: wait, check once, until the operation is no longer running. A check that cannot reach ARM or storage is
 * not an outcome: the watch keeps the operation and waits longer each time (doubling from 30 s, up to
 * OUTAGE_BACKOFF_CAP_MS) for `outageLimitMs`, then returns `unreachable`. Deterministic.
 */
export const watchOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<WatchRequest>();
  const activity = checkActivity(request);
  if (!activity) {
    const message = `refused: a watch follows a backup, restore or migration (check.kind); its input named none of them`;
    if (!context.df.isReplaying) context.warn(`apim-dr.watch.refused ${context.df.instanceId}: ${message}`);
    throw new Error(message);
  }
  const retry = activityRetry();
  const startedAt = Date.parse(request.startedAt);
  let outcome = request.first;
  let { polls, failures, since } = request.carried ?? { polls: 0, failures: 0 };
  for (let checks = 0; outcome.status === 'running' || outcome.status === 'unreachable'; checks++) {
    if (checks === POLLS_PER_EXECUTION) {
      context.df.continueAsNew({ ...request, first: outcome, carried: { polls, failures, since } });
      return undefined;
    }
    const now = context.df.currentUtcDateTime.getTime();
    polls += 1;
    let waitMs: number;
    if (outcome.status === 'unreachable') {
      since ??= now;
      failures += 1;
      if (now - since >= request.outageLimitMs) return { ...(outcome as Unreachable), since: new Date(since).toISOString() };
      waitMs = Math.min(OUTAGE_BACKOFF_CAP_MS, Math.max(request.pollIntervalMs, 30_000) * 2 ** (failures - 1));
      setPhase(context, {
        ...progress(request, polls, now - startedAt),
        unreachableSince: new Date(since).toISOString(),
        reason: (outcome as Unreachable).message,
      });
    } else {
      since = undefined;
      failures = 0;
      waitMs = (outcome as MonitoredOutcome).retryAfterMs ?? nextCheckInMs(now - startedAt, request.pollIntervalMs, request.window);
      setPhase(context, progress(request, polls, now - startedAt));
    }
    yield context.df.createTimer(after(context, waitMs));
    outcome = (yield context.df.callActivityWithRetry(activity, retry, request.check.input)) as MonitoredOutcome | Unreachable;
  }
  return outcome;
};

/** The check activity for the watched kind; undefined for anything else (an own key of WATCH_CHECKS only, never `toString`). */
function checkActivity(request: Partial<WatchRequest> | undefined): string | undefined {
  const kind = request?.check?.kind;
  return typeof kind === 'string' && Object.hasOwn(WATCH_CHECKS, kind) ? WATCH_CHECKS[kind] : undefined;
}

function progress(request: WatchRequest, polls: number, elapsedMs: number): OperationStatus {
  const { expectedMs, overdue } = request;
  return {
    ...request.status,
    polls,
    ...(expectedMs ? { percent: progressPercent(elapsedMs, expectedMs), expectedMs } : {}),
    ...(overdue && elapsedMs > overdue.afterMs ? { overdue: overdue.message } : {}),
  };
}

// How a running operation's status shows its watch's progress: in watchStatus.ts, which status reads without the Durable SDK.
export { operationStatus, watchOf, watchStatus } from './watchStatus';
