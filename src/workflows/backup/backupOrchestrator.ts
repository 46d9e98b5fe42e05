/** Orchestrator: start one instance's backup, monitor it on durable timers, settle its record. Deterministic. */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { parseBackupName } from '../../domain/backupName';
import { Activities, Orchestrations } from '../names';
import { activityRetry, after, monitor, setPhase } from '../operation';
import type { SweepRequest } from '../sweep/types';
import type { BackupRequest, BackupSummary, CheckOutcome, StartBackupInput, StartBackupOutput } from './types';

/** How many times the backup may be (re)started after the instance was busy or an adopted operation was lost. */
const MAX_STARTS = 30;

export const backupOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<BackupRequest>();
  const requestedAt = context.df.currentUtcDateTime;
  const input: StartBackupInput = { ...request, requestedAt: requestedAt.toISOString(), owner: `${context.df.instanceId}@${requestedAt.toISOString()}` };
  const retry = activityRetry();

  for (let starts = 1; ; starts++) {
    const started: StartBackupOutput = yield context.df.callActivityWithRetry(Activities.startBackup, retry, input);
    if (started.status === 'refused') return failedSummary(request, started.backupName, started.code, started.message);
    if (started.status === 'busy') {
      if (starts >= MAX_STARTS)
        return failedSummary(request, started.backupName, 'InstanceBusy', `the instance stayed busy with another operation: ${started.message}`);
      setPhase(context, { phase: 'waiting', backupName: started.backupName, reason: started.message });
      yield context.df.createTimer(after(context, started.retryAfterMs));
      continue;
    }

    const { backupName, token, pollIntervalMs } = started;
    const outcome = yield* monitor<CheckOutcome>(context, {
      first: { status: 'running', retryAfterMs: started.retryAfterMs },
      pollIntervalMs,
      status: (polls) => ({ phase: 'running', backupName, polls }),
      check: () => context.df.callActivityWithRetry(Activities.checkBackup, retry, { serviceId: request.serviceId, backupName, token }),
    });
    if (outcome.status === 'lost') {
      if (starts >= MAX_STARTS)
        return failedSummary(request, backupName, 'OperationLost', 'the backup operation could not be confirmed after repeated attempts');
      continue;
    }
    setPhase(context, { phase: 'finishing', backupName });
    const summary: BackupSummary = yield context.df.callActivityWithRetry(Activities.finishBackup, retry, {
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
};

function failedSummary(request: BackupRequest, backupName: string, code: string, message: string): BackupSummary {
  return { backupName, service: parseBackupName(backupName)?.service ?? backupName, state: 'failed', trigger: request.trigger, error: { code, message } };
}
