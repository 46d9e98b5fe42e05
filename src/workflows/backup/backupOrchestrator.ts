/**
 * Orchestrator: start one instance's backup, watch it (a sub-orchestration), settle its record. Deterministic.
 * With `adopt`, it starts nothing: it watches a catalogued backup that lost its watcher until ARM says how it ended.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { parseBackupName } from '../../domain/backupName';
import { Activities, Orchestrations } from '../names';
import { activityRetry, setPhase, type Unreachable } from '../operation';
import { firstOutcome, startWhenFree, unsettledError } from '../operationLifecycle';
import type { SweepRequest } from '../sweep/types';
import { OUTAGE_LIMIT_MS, watch, type WatchRequest } from '../watch';
import type { BackupRequest, BackupSummary, CheckOutcome, StartBackupInput, StartBackupOutput } from './types';

/** What the watch knows of this instance's backups: when the durations count from, and where they end. */
type BackupPlan = Pick<WatchRequest, 'startedAt' | 'window' | 'expectedMs'>;

/** How many times the backup may be (re)started after the instance was busy or an adopted operation was lost. */
const MAX_STARTS = 30;

export const backupOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<BackupRequest>();
  const requestedAt = context.df.currentUtcDateTime;
  const input: StartBackupInput = { ...request, requestedAt: requestedAt.toISOString(), owner: `${context.df.instanceId}@${requestedAt.toISOString()}` };
  const retry = activityRetry();
  const watchBackup = (backupName: string, first: CheckOutcome, pollIntervalMs: number, plan: BackupPlan, token?: string) =>
    watch<CheckOutcome>(context, {
      check: { kind: 'backup', input: { serviceId: request.serviceId, backupName, token } },
      first,
      pollIntervalMs,
      outageLimitMs: OUTAGE_LIMIT_MS.backup,
      ...plan,
      status: { phase: 'running', backupName },
    });

  if (request.adopt) {
    const { backupName, pollIntervalMs } = request.adopt;
    const outcome = yield* watchBackup(backupName, { status: 'running', retryAfterMs: 0 }, pollIntervalMs, { startedAt: requestedAt.toISOString() });
    if (outcome.status === 'unreachable') return unsettled(request, backupName, outcome);
    // Adopted, a backup ARM shows no trace of (idle instance, no blob) did not happen: it is settled as failed.
    const settled = outcome.status === 'lost' ? { status: 'failed' as const, code: 'OperationLost', message: LOST } : outcome;
    return yield* finish(context, request, backupName, settled);
  }

  for (let starts = 0; ;) {
    // Busy waits and restarts after a lost operation draw on the one budget of MAX_STARTS starts.
    const started = yield* startWhenFree<StartBackupOutput>(
      context,
      () => {
        starts++;
        return context.df.callActivityWithRetry(Activities.startBackup, retry, input);
      },
      (reason, busy) => ({ phase: 'waiting', backupName: busy.backupName, reason }),
      MAX_STARTS - starts - 1,
    );
    if (started.status === 'refused') return failedSummary(request, started.backupName, started.code, started.message);
    if (started.status === 'busy')
      return failedSummary(request, started.backupName, 'InstanceBusy', `the instance stayed busy with another operation: ${started.message}`);

    const { backupName, token, pollIntervalMs, window, expectedMs } = started;
    // Earlier backups' durations count from just before their POST (their createdAt), as this one's elapsed time does.
    const plan = { startedAt: context.df.currentUtcDateTime.toISOString(), window, expectedMs };
    const outcome = yield* watchBackup(backupName, firstOutcome(started, 'InstanceBusy', 'instance'), pollIntervalMs, plan, token);
    if (outcome.status === 'unreachable') return unsettled(request, backupName, outcome);
    if (outcome.status === 'lost') {
      if (starts >= MAX_STARTS)
        return failedSummary(request, backupName, 'OperationLost', 'the backup operation could not be confirmed after repeated attempts');
      continue;
    }
    return yield* finish(context, request, backupName, outcome);
  }
};

const LOST = 'the instance is idle and the backup blob was never written: ARM did not carry this backup out';

function* finish(
  context: OrchestrationContext,
  request: BackupRequest,
  backupName: string,
  outcome: Exclude<CheckOutcome, { status: 'running' } | { status: 'lost' }>,
): Generator<Task, BackupSummary, BackupSummary> {
  setPhase(context, { phase: 'finishing', backupName });
  const summary: BackupSummary = yield context.df.callActivityWithRetry(Activities.finishBackup, activityRetry(), {
    serviceId: request.serviceId,
    backupName,
    outcome,
  });
  if (summary.state === 'succeeded') {
    // A new restorable backup may retire older ones: sweep this instance now rather than at the daily run.
    setPhase(context, { phase: 'sweeping', backupName });
    const sweep: SweepRequest = { dryRun: false, requestedBy: `after:${backupName}`, service: request.serviceId };
    try {
      yield context.df.callSubOrchestrator(Orchestrations.sweep, sweep, `${context.df.instanceId}-sweep`);
    } catch {
      // The backup stands; the daily sweep will retry what this one could not do.
    }
  }
  setPhase(context, { phase: summary.state, backupName });
  return summary;
}

/** ARM did not answer for the whole outage limit: the entry stays `running`, and the schedule tick adopts it again. */
function unsettled(request: BackupRequest, backupName: string, outcome: Unreachable): BackupSummary {
  return {
    backupName,
    service: parseBackupName(backupName)?.service ?? backupName,
    state: 'running',
    trigger: request.trigger,
    error: unsettledError(outcome, 'backup'),
  };
}

function failedSummary(request: BackupRequest, backupName: string, code: string, message: string): BackupSummary {
  return { backupName, service: parseBackupName(backupName)?.service ?? backupName, state: 'failed', trigger: request.trigger, error: { code, message } };
}
