/**
 * Orchestrator: one migration off stv1. Gate (the dry run) → pre-migration backup (must succeed: it is the only way
 * back) → in place: `migrateToStv2` once, watched, verified, then a first backup of the new platform; side by side:
 * a restore of that backup into the stv2 target. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { formatBackupTime } from '../../domain/backupName';
import { MIGRATION_FACTS } from '../../domain/migration';
import type { BackupRequest, BackupSummary } from '../backup/types';
import { verifiedStart } from '../approval/verifiedStart';
import { Activities, Orchestrations } from '../names';
import type { Finding } from '../../domain/compatibility';
import { activityRetry, setPhase, subOrchestration, type Unreachable } from '../operation';
import { firstOutcome, pollOf, startWhenFree, unsettledError } from '../operationLifecycle';
import type { RestoreRequest, RestoreSummary } from '../restore/types';
import { OUTAGE_LIMIT_MS, watch } from '../watch';
import type { MigrationState } from './checkMigrationOperation';
import type {
  FinishMigrationInput,
  MigrationOutcome,
  MigrationRequest,
  MigrationSummary,
  MigrationVerification,
  PrepareMigrationInput,
  PrepareMigrationOutput,
  StartMigrationOutput,
} from './types';

const OVERDUE = { afterMs: MIGRATION_FACTS.supportCaseAfterMs, message: 'still migrating after 2 hours: open a support case with Microsoft' };

export const migrateOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<MigrationRequest>();
  const requestedAt = context.df.currentUtcDateTime;
  const retry = activityRetry();
  if (request.adopt) {
    // Reconciliation of an in-place migration whose orchestration is gone. Once its POST went out, it is watched
    // until ARM says how it ended, then settled as usual; before that, nothing was migrated.
    const { recordName, pollIntervalMs } = request.adopt;
    const state: MigrationState = yield context.df.callActivityWithRetry(Activities.migrationState, retry, recordName);
    if (!state.startedAt || !state.preMigrationBackup) {
      const message = 'the migration stopped before migrateToStv2 was sent: nothing was migrated; run it again';
      return yield* finishStep(context, recordName, [], { outcome: { status: 'failed', code: 'Interrupted', message } });
    }
    const outcome = yield* watch<MigrationOutcome>(context, {
      check: { kind: 'migration', input: { recordName } },
      first: { status: 'running', retryAfterMs: 0 },
      pollIntervalMs,
      outageLimitMs: OUTAGE_LIMIT_MS.migrate,
      startedAt: state.startedAt,
      overdue: OVERDUE,
      status: { phase: 'migrating', recordName },
    });
    if (outcome.status === 'unreachable') return unsettled(context, request, recordName, [], outcome);
    return yield* settleInPlace(context, request, recordName, [], outcome, state.preMigrationBackup);
  }
  setPhase(context, { phase: 'checking' });
  const owner = `${context.df.instanceId}@${requestedAt.toISOString()}`;
  // The input is not trusted: it must be what the edge recorded, and the requester and approval come from that record.
  const verified = yield* verifiedStart(context, 'migration', request, owner);
  if (verified.status === 'refused') {
    if (verified.finding.code !== 'ApprovalExpired') setPhase(context, { phase: 'refused' });
    return { recordName: verified.requestRecord ?? '', kind: request.kind, state: 'refused', findings: [verified.finding] };
  }
  setPhase(context, { phase: 'checking' });
  const input: PrepareMigrationInput = {
    ...request,
    requestedBy: verified.requestedBy,
    requestedAt: requestedAt.toISOString(),
    owner,
    ...(verified.approval ? { approval: verified.approval } : {}),
  };
  const prepared: PrepareMigrationOutput = yield context.df.callActivityWithRetry(Activities.prepareMigration, retry, input);
  if (prepared.status === 'refused') {
    setPhase(context, { phase: 'refused' });
    return { recordName: prepared.recordName, kind: request.kind, state: 'refused', findings: prepared.findings };
  }
  const { recordName, expectedMs } = prepared;
  const warnings = prepared.findings.filter((f) => f.severity === 'warning');
  // A percent only where this instance's earlier migrations give one (expectedMs); otherwise the phase and its time say enough.
  const percent = (value: number) => (expectedMs === undefined ? {} : { percent: value });
  const finish = (finishing: Omit<FinishMigrationInput, 'recordName'>) => finishStep(context, recordName, warnings, finishing, expectedMs !== undefined);

  setPhase(context, { phase: 'pre-migration-backup', recordName, ...percent(0), warnings });
  const pre = yield* backUp(context, request, recordName, 'pre-migration', 'pre');
  if (pre.taken?.state !== 'succeeded' || !pre.taken.expiresAt) {
    const why = pre.taken?.error ? `${pre.taken.error.code}: ${pre.taken.error.message}` : 'the backup orchestration failed';
    return yield* finish({
      outcome: { status: 'failed', code: 'PreMigrationBackupFailed', message: `the pre-migration backup failed (${why}), so nothing was migrated` },
    });
  }
  const preMigrationBackup = { backupName: pre.taken.backupName, expiresAt: pre.taken.expiresAt, durationMs: pre.durationMs };

  if (request.kind === 'side-by-side') {
    // The restore's own status shows its progress, from the target's earlier restores.
    setPhase(context, { phase: 'restoring', recordName, warnings });
    const restore: RestoreRequest = {
      sourceId: request.serviceId,
      targetId: request.targetId!,
      backup: preMigrationBackup.backupName,
      requestedBy: `migration ${recordName}`,
      correlationId: request.correlationId,
      purpose: 'migration',
      allowInPlace: false,
      preRestoreBackup: false,
      // The restore runs on this migration's request, which it checks as its own.
      ...(request.requestRecord ? { requestRecord: request.requestRecord } : {}),
    };
    const restored = yield* subOrchestration<RestoreSummary>(context, Orchestrations.restore, restore, `${context.df.instanceId}-restore`);
    const outcome: FinishMigrationInput['outcome'] =
      restored?.state === 'succeeded'
        ? { status: 'succeeded' }
        : {
            status: 'failed',
            code: restored?.error?.code ?? (restored?.state === 'refused' ? 'RestoreRefused' : 'RestoreFailed'),
            message: `the restore into the target ${restored?.state ?? 'failed'}: ${restored?.error?.message ?? restored?.findings.find((f) => f.severity === 'blocking')?.message ?? 'see its orchestration'}`,
          };
    return yield* finish({ outcome, preMigrationBackup, ...(restored ? { restoreRecord: restored.recordName } : {}) });
  }

  const started = yield* startWhenFree<StartMigrationOutput>(
    context,
    () =>
      context.df.callActivityWithRetry(Activities.startMigration, retry, {
        recordName,
        preMigrationBackup: { backupName: preMigrationBackup.backupName, expiresAt: preMigrationBackup.expiresAt },
      }),
    (reason) => ({ phase: 'waiting', recordName, ...percent(0), reason, warnings }),
  );
  const { token, pollIntervalMs } = pollOf(started);
  const outcome = yield* watch<MigrationOutcome>(context, {
    check: { kind: 'migration', input: { recordName, token } },
    first: firstOutcome(started, 'InstanceBusy', 'instance'),
    pollIntervalMs,
    outageLimitMs: OUTAGE_LIMIT_MS.migrate,
    startedAt: context.df.currentUtcDateTime.toISOString(),
    expectedMs,
    overdue: OVERDUE,
    status: { phase: 'migrating', recordName, warnings },
  });
  if (outcome.status === 'unreachable') return unsettled(context, request, recordName, prepared.findings, outcome);
  if (started.status !== 'started') return yield* finish({ outcome, preMigrationBackup });
  return yield* settleInPlace(context, request, recordName, warnings, outcome, preMigrationBackup.backupName, { preMigrationBackup }, expectedMs !== undefined);
};

/** What the generator steps below receive from the tasks they yield (each step reads its own part). */
type Received = MigrationSummary & MigrationVerification & BackupSummary;

function* finishStep(
  context: OrchestrationContext,
  recordName: string,
  warnings: Finding[],
  finishing: Omit<FinishMigrationInput, 'recordName'>,
  measured = false,
): Generator<Task, MigrationSummary, Received> {
  setPhase(context, { phase: 'finishing', recordName, ...(measured ? { percent: 99 } : {}), warnings });
  const summary: MigrationSummary = yield context.df.callActivityWithRetry(Activities.finishMigration, activityRetry(), { recordName, ...finishing });
  setPhase(context, { phase: summary.state, recordName, percent: 100, warnings });
  return summary;
}

/** A backup of the instance by its own orchestration, as a sub-orchestration; how long it took. */
function* backUp(
  context: OrchestrationContext,
  request: MigrationRequest,
  recordName: string,
  trigger: BackupRequest['trigger'],
  suffix: string,
): Generator<Task, { taken?: BackupSummary; durationMs: number }, Received> {
  const backup: BackupRequest = { serviceId: request.serviceId, trigger, requestedBy: `migration ${recordName}`, correlationId: request.correlationId };
  const at = context.df.currentUtcDateTime;
  const taken = yield* subOrchestration<BackupSummary>(context, Orchestrations.backup, backup, `${context.df.instanceId}-${suffix}-${formatBackupTime(at)}`);
  return { taken, durationMs: context.df.currentUtcDateTime.getTime() - at.getTime() };
}

/**
 * After ARM's answer: verify the instance against the pre-migration backup, back it up on stv2 when it is there
 * (the pre-migration backup describes the old platform), and settle the record.
 */
function* settleInPlace(
  context: OrchestrationContext,
  request: MigrationRequest,
  recordName: string,
  warnings: Finding[],
  outcome: FinishMigrationInput['outcome'],
  preMigrationBackup: string,
  finishing: Partial<FinishMigrationInput> = {},
  measured = false,
): Generator<Task, MigrationSummary, Received> {
  const percent = measured ? { percent: 99 } : {};
  setPhase(context, { phase: 'verifying', recordName, ...percent, warnings });
  const verification: MigrationVerification = yield context.df.callActivityWithRetry(Activities.verifyMigration, activityRetry(), {
    recordName,
    preMigrationBackup,
  });
  let postMigrationBackup: string | undefined;
  if (outcome.status === 'succeeded' && verification.ok) {
    setPhase(context, { phase: 'post-migration-backup', recordName, ...percent, warnings });
    const post = yield* backUp(context, request, recordName, 'manual', 'post');
    if (post.taken?.state === 'succeeded') postMigrationBackup = post.taken.backupName;
  }
  return yield* finishStep(
    context,
    recordName,
    warnings,
    { ...finishing, outcome, verification, ...(postMigrationBackup ? { postMigrationBackup } : {}) },
    measured,
  );
}

/** ARM did not answer for as long as a migration can run: the record stays `running`, its token in it, for reconciliation. */
function unsettled(
  context: OrchestrationContext,
  request: MigrationRequest,
  recordName: string,
  findings: Finding[],
  outcome: Unreachable,
): Pick<MigrationSummary, 'recordName' | 'kind' | 'state' | 'findings' | 'error'> {
  const error = unsettledError(outcome, 'migration');
  setPhase(context, { phase: 'waiting', recordName, reason: error.message });
  return { recordName, kind: request.kind, state: 'running', findings, error };
}
