/** Orchestrator: gate, start, monitor and verify one restore into a standby. Deterministic. */
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { activityRetry } from '../backup/backupOrchestrator';
import { Activities } from '../names';
import type { RestoreOutcome } from './checkRestoreOperation';
import type { PrepareRestoreInput, PrepareRestoreOutput, RestoreRequest, RestoreSummary, StartRestoreOutput } from './types';

const MAX_BUSY_WAITS = 30;

export const restoreOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<RestoreRequest>();
  const requestedAt = context.df.currentUtcDateTime.toISOString();
  const retry = activityRetry();
  context.df.setCustomStatus({ phase: 'checking' });
  const input: PrepareRestoreInput = { ...request, requestedAt, owner: `${context.df.instanceId}@${requestedAt}` };
  const prepared: PrepareRestoreOutput = yield context.df.callActivityWithRetry(Activities.prepareRestore, retry, input);
  if (prepared.status === 'refused') {
    context.df.setCustomStatus({ phase: 'refused' });
    return { recordName: prepared.recordName, state: 'refused', findings: prepared.findings };
  }
  const { recordName, backupName } = prepared;
  const warnings = prepared.findings.filter((f) => f.severity === 'warning');

  let started: StartRestoreOutput = yield context.df.callActivityWithRetry(Activities.startRestore, retry, recordName);
  for (let waits = 1; started.status === 'busy'; waits++) {
    if (waits > MAX_BUSY_WAITS) break;
    context.df.setCustomStatus({ phase: 'waiting', backupName, reason: started.message, warnings });
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + started.retryAfterMs));
    started = yield context.df.callActivityWithRetry(Activities.startRestore, retry, recordName);
  }
  let outcome: RestoreOutcome =
    started.status === 'busy' ? { status: 'failed', code: 'TargetBusy', message: `the target stayed busy: ${started.message}` } : { status: 'running', retryAfterMs: started.retryAfterMs };
  const pollIntervalMs = started.status === 'started' ? started.pollIntervalMs : 0;
  const token = started.status === 'started' ? started.token : undefined;
  for (let polls = 1; outcome.status === 'running'; polls++) {
    context.df.setCustomStatus({ phase: 'restoring', backupName, polls, warnings });
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + (outcome.retryAfterMs ?? pollIntervalMs)));
    outcome = yield context.df.callActivityWithRetry(Activities.checkRestoreOperation, retry, { recordName, token });
  }
  context.df.setCustomStatus({ phase: 'verifying', backupName, warnings });
  const summary: RestoreSummary = yield context.df.callActivityWithRetry(Activities.finishRestore, retry, { recordName, outcome });
  context.df.setCustomStatus({ phase: summary.state, backupName, warnings });
  return summary;
};
