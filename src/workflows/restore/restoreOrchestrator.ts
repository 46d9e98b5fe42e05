/** Orchestrator: gate, back up the target if asked, start, watch and verify one restore. Deterministic. */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { formatBackupTime } from '../../domain/backupName';
import { parseServiceId } from '../../domain/resourceId';
import { activityRetry, setPhase, subOrchestration, type Unreachable } from '../operation';
import { firstOutcome, pollOf, startWhenFree, unsettledError } from '../operationLifecycle';
import { OUTAGE_LIMIT_MS, watch } from '../watch';
import type { BackupRequest, BackupSummary } from '../backup/types';
import { verifiedStart } from '../approval/verifiedStart';
import { Activities, Orchestrations } from '../names';
import type { RestoreOutcome } from './checkRestoreOperation';
import type { FinishRestoreInput, PrepareRestoreInput, PrepareRestoreOutput, RestoreRequest, RestoreSummary, StartRestoreOutput } from './types';

export const restoreOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<RestoreRequest>();
  const requestedAt = context.df.currentUtcDateTime;
  const retry = activityRetry();
  if (request.adopt) {
    // Reconciliation: watch a running restore record that lost its watcher, then verify and settle it as usual.
    const { recordName, pollIntervalMs } = request.adopt;
    const outcome = yield* watch<RestoreOutcome>(context, {
      check: { kind: 'restore', input: { recordName } },
      first: { status: 'running', retryAfterMs: 0 },
      pollIntervalMs,
      outageLimitMs: OUTAGE_LIMIT_MS.restore,
      startedAt: requestedAt.toISOString(),
      status: { phase: 'restoring', recordName },
    });
    if (outcome.status === 'unreachable') return unsettled(context, request, recordName, outcome, [], requestedAt.toISOString());
    setPhase(context, { phase: 'verifying', recordName });
    const summary: RestoreSummary = yield context.df.callActivityWithRetry(Activities.finishRestore, retry, { recordName, outcome });
    setPhase(context, { phase: summary.state, recordName, percent: 100 });
    return summary;
  }
  setPhase(context, { phase: 'checking' });
  const owner = `${context.df.instanceId}@${requestedAt.toISOString()}`;
  // The input is not trusted: it must be what the edge recorded, and the requester and approval come from that record.
  const verified = yield* verifiedStart(context, 'restore', request, owner);
  if (verified.status === 'refused') {
    if (verified.finding.code !== 'ApprovalExpired') setPhase(context, { phase: 'refused' });
    return { recordName: verified.requestRecord ?? '', state: 'refused', purpose: request.purpose, findings: [verified.finding] };
  }
  setPhase(context, { phase: 'checking' });
  const input: PrepareRestoreInput = {
    ...request,
    requestedBy: verified.requestedBy,
    requestedAt: requestedAt.toISOString(),
    owner,
    ...(verified.approval ? { approval: verified.approval } : {}),
  };
  const prepared: PrepareRestoreOutput = yield context.df.callActivityWithRetry(Activities.prepareRestore, retry, input);
  if (prepared.status === 'refused') {
    setPhase(context, { phase: 'refused' });
    return { recordName: prepared.recordName, state: 'refused', purpose: request.purpose, findings: prepared.findings };
  }
  const { recordName, backupName, expectedMs } = prepared;
  const warnings = prepared.findings.filter((f) => f.severity === 'warning');
  // A percent only where this target's earlier restores give one (expectedMs); otherwise the phase and its time say enough.
  const percent = (value: number) => (expectedMs === undefined ? {} : { percent: value });
  const finish = function* (outcome: FinishRestoreInput['outcome']): Generator<Task, RestoreSummary, RestoreSummary> {
    setPhase(context, { phase: 'verifying', backupName, ...percent(99), warnings });
    const summary: RestoreSummary = yield context.df.callActivityWithRetry(Activities.finishRestore, retry, { recordName, outcome });
    setPhase(context, { phase: summary.state, backupName, percent: 100, warnings });
    return summary;
  };

  let preRestoreBackup: string | undefined;
  if (request.preRestoreBackup) {
    setPhase(context, { phase: 'pre-restore-backup', backupName, ...percent(0), warnings });
    const backup: BackupRequest = {
      serviceId: request.targetId,
      trigger: 'pre-restore',
      requestedBy: `restore ${recordName}`,
      correlationId: request.correlationId,
    };
    const taken = yield* subOrchestration<BackupSummary>(
      context,
      Orchestrations.backup,
      backup,
      `${context.df.instanceId}-pre-${formatBackupTime(requestedAt)}`,
    );
    if (taken?.state !== 'succeeded') {
      const why = taken?.error ? `${taken.error.code}: ${taken.error.message}` : 'the backup orchestration failed';
      return yield* finish({
        status: 'failed',
        code: 'PreRestoreBackupFailed',
        message: `the pre-restore backup of the target failed (${why}), so nothing was restored`,
      });
    }
    preRestoreBackup = taken.backupName;
  }

  const started = yield* startWhenFree<StartRestoreOutput>(
    context,
    () => context.df.callActivityWithRetry(Activities.startRestore, retry, { recordName, preRestoreBackup }),
    (reason) => ({ phase: 'waiting', backupName, ...percent(0), reason, warnings }),
  );
  const { token, pollIntervalMs } = pollOf(started);
  const outcome = yield* watch<RestoreOutcome>(context, {
    check: { kind: 'restore', input: { recordName, token } },
    first: firstOutcome(started, 'TargetBusy', 'target'),
    pollIntervalMs,
    outageLimitMs: OUTAGE_LIMIT_MS.restore,
    // Earlier restores' durations count from their POST, as this one's elapsed time does.
    startedAt: context.df.currentUtcDateTime.toISOString(),
    window: prepared.window,
    expectedMs,
    status: { phase: 'restoring', backupName, warnings },
  });
  if (outcome.status === 'unreachable') return unsettled(context, request, recordName, outcome, prepared.findings, requestedAt.toISOString());
  return yield* finish(outcome);
};

/** ARM did not answer for as long as a restore can run: the record stays `running`, its token in it, for reconciliation. */
function unsettled(
  context: OrchestrationContext,
  request: RestoreRequest,
  recordName: string,
  outcome: Unreachable,
  findings: RestoreSummary['findings'],
  requestedAt: string,
): RestoreSummary {
  const error = unsettledError(outcome, 'restore');
  setPhase(context, { phase: 'waiting', recordName, reason: error.message });
  return {
    recordName,
    source: parseServiceId(request.sourceId)?.name ?? request.sourceId,
    target: parseServiceId(request.targetId)?.name ?? request.targetId,
    purpose: request.purpose,
    state: 'running',
    findings,
    requestedAt,
    error,
  };
}
