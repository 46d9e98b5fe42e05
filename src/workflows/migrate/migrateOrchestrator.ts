/**
 * Orchestrator: one migration off stv1. Gate (the dry run) → pre-migration backup (must succeed: it is the only way
 * back) → in place: `migrateToStv2` once, monitored, verified, then a first backup of the new platform; side by side:
 * a restore of that backup into the stv2 target. Deterministic.
 */
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { formatBackupTime } from '../../domain/backupName';
import { MIGRATION_FACTS } from '../../domain/migration';
import { restorePercent } from '../../domain/restoreProgress';
import type { BackupRequest, BackupSummary } from '../backup/types';
import { Activities, Orchestrations } from '../names';
import { activityRetry, monitor, OUTAGE_LIMIT_MS, setPhase, startWhenFree, subOrchestration } from '../operation';
import type { RestoreRequest, RestoreSummary } from '../restore/types';
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

export const migrateOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const request = context.df.getInput<MigrationRequest>();
  const requestedAt = context.df.currentUtcDateTime;
  const retry = activityRetry();
  if (request.adopt) {
    // Reconciliation of an in-place migration whose orchestration is gone. Once its POST went out, it is watched
    // until ARM says how it ended, then verified (and backed up on stv2) as usual; before that, nothing was migrated.
    const { recordName, pollIntervalMs } = request.adopt;
    const finish = function* (finishing: Omit<FinishMigrationInput, 'recordName'>): Generator<Task, MigrationSummary, MigrationSummary> {
      setPhase(context, { phase: 'finishing', recordName, percent: 99 });
      const summary: MigrationSummary = yield context.df.callActivityWithRetry(Activities.finishMigration, retry, { recordName, ...finishing });
      setPhase(context, { phase: summary.state, recordName, percent: 100 });
      return summary;
    };
    const state: MigrationState = yield context.df.callActivityWithRetry(Activities.migrationState, retry, recordName);
    if (!state.startedAt || !state.preMigrationBackup) {
      return yield* finish({
        outcome: { status: 'failed', code: 'Interrupted', message: 'the migration stopped before migrateToStv2 was sent: nothing was migrated; run it again' },
      });
    }
    const outcome = yield* monitor<MigrationOutcome>(context, {
      first: { status: 'running', retryAfterMs: 0 },
      pollIntervalMs,
      outageLimitMs: OUTAGE_LIMIT_MS.migrate,
      status: (polls) => ({ phase: 'migrating', recordName, polls }),
      check: () => context.df.callActivityWithRetry(Activities.checkMigrationOperation, retry, { recordName }),
    });
    if (outcome.status === 'unreachable') {
      setPhase(context, { phase: 'waiting', recordName, reason: `ARM unreachable since ${outcome.since}: ${outcome.message}` });
      return { recordName, kind: request.kind, state: 'running', findings: [], error: { code: 'ArmUnreachable', message: outcome.message } };
    }
    setPhase(context, { phase: 'verifying', recordName, percent: 99 });
    const verification: MigrationVerification = yield context.df.callActivityWithRetry(Activities.verifyMigration, retry, {
      recordName,
      preMigrationBackup: state.preMigrationBackup,
    });
    let postMigrationBackup: string | undefined;
    if (outcome.status === 'succeeded' && verification.ok) {
      setPhase(context, { phase: 'post-migration-backup', recordName, percent: 99 });
      const backup: BackupRequest = {
        serviceId: request.serviceId,
        trigger: 'manual',
        requestedBy: `migration ${recordName}`,
        correlationId: request.correlationId,
      };
      const id = `${context.df.instanceId}-post-${formatBackupTime(context.df.currentUtcDateTime)}`;
      const taken = yield* subOrchestration<BackupSummary>(context, Orchestrations.backup, backup, id);
      if (taken?.state === 'succeeded') postMigrationBackup = taken.backupName;
    }
    return yield* finish({ outcome, verification, ...(postMigrationBackup ? { postMigrationBackup } : {}) });
  }
  setPhase(context, { phase: 'checking', percent: 0 });
  const input: PrepareMigrationInput = { ...request, requestedAt: requestedAt.toISOString(), owner: `${context.df.instanceId}@${requestedAt.toISOString()}` };
  const prepared: PrepareMigrationOutput = yield context.df.callActivityWithRetry(Activities.prepareMigration, retry, input);
  if (prepared.status === 'refused') {
    setPhase(context, { phase: 'refused' });
    return { recordName: prepared.recordName, kind: request.kind, state: 'refused', findings: prepared.findings };
  }
  const { recordName, expectedMs } = prepared;
  const warnings = prepared.findings.filter((f) => f.severity === 'warning');
  const finish = function* (finishing: Omit<FinishMigrationInput, 'recordName'>): Generator<Task, MigrationSummary, MigrationSummary> {
    setPhase(context, { phase: 'finishing', recordName, percent: 99, warnings });
    const summary: MigrationSummary = yield context.df.callActivityWithRetry(Activities.finishMigration, retry, { recordName, ...finishing });
    setPhase(context, { phase: summary.state, recordName, percent: 100, warnings });
    return summary;
  };
  const backUp = function* (phase: 'pre-migration-backup' | 'post-migration-backup', trigger: BackupRequest['trigger'], suffix: string) {
    setPhase(context, { phase, recordName, percent: 0, warnings });
    const backup: BackupRequest = { serviceId: request.serviceId, trigger, requestedBy: `migration ${recordName}`, correlationId: request.correlationId };
    const at = context.df.currentUtcDateTime;
    const taken = yield* subOrchestration<BackupSummary>(context, Orchestrations.backup, backup, `${context.df.instanceId}-${suffix}-${formatBackupTime(at)}`);
    return { taken, durationMs: context.df.currentUtcDateTime.getTime() - at.getTime() };
  };

  const pre = yield* backUp('pre-migration-backup', 'pre-migration', 'pre');
  if (pre.taken?.state !== 'succeeded' || !pre.taken.expiresAt) {
    const why = pre.taken?.error ? `${pre.taken.error.code}: ${pre.taken.error.message}` : 'the backup orchestration failed';
    return yield* finish({
      outcome: { status: 'failed', code: 'PreMigrationBackupFailed', message: `the pre-migration backup failed (${why}), so nothing was migrated` },
    });
  }
  const preMigrationBackup = { backupName: pre.taken.backupName, expiresAt: pre.taken.expiresAt, durationMs: pre.durationMs };

  if (request.kind === 'side-by-side') {
    setPhase(context, { phase: 'restoring', recordName, percent: 0, warnings });
    const restore: RestoreRequest = {
      sourceId: request.serviceId,
      targetId: request.targetId!,
      backup: preMigrationBackup.backupName,
      requestedBy: `migration ${recordName}`,
      correlationId: request.correlationId,
      purpose: 'migration',
      allowInPlace: false,
      preRestoreBackup: false,
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
    (reason) => ({ phase: 'waiting', recordName, percent: 0, reason, warnings }),
  );
  const first: MigrationOutcome =
    started.status === 'busy'
      ? { status: 'failed', code: 'InstanceBusy', message: `the instance stayed busy: ${started.message}` }
      : started.status === 'refused'
        ? { status: 'failed', code: started.code, message: started.message }
        : { status: 'running', retryAfterMs: started.retryAfterMs };
  const token = started.status === 'started' ? started.token : undefined;
  const migrationStart = context.df.currentUtcDateTime.getTime();
  const outcome = yield* monitor<MigrationOutcome>(context, {
    first,
    pollIntervalMs: started.status === 'started' ? started.pollIntervalMs : 0,
    outageLimitMs: OUTAGE_LIMIT_MS.migrate,
    status: (polls) => {
      const elapsedMs = context.df.currentUtcDateTime.getTime() - migrationStart;
      return {
        phase: 'migrating',
        recordName,
        polls,
        percent: restorePercent(elapsedMs, expectedMs),
        expectedMs,
        warnings,
        ...(elapsedMs > MIGRATION_FACTS.supportCaseAfterMs ? { overdue: 'still migrating after 2 hours: open a support case with Microsoft' } : {}),
      };
    },
    check: () => context.df.callActivityWithRetry(Activities.checkMigrationOperation, retry, { recordName, token }),
  });
  if (outcome.status === 'unreachable') {
    // The migration may still run: its record stays `running`, with its token, for whoever asks ARM next.
    setPhase(context, { phase: 'waiting', recordName, reason: `ARM unreachable since ${outcome.since}: ${outcome.message}`, warnings });
    return { recordName, kind: request.kind, state: 'running', findings: prepared.findings, error: { code: 'ArmUnreachable', message: outcome.message } };
  }
  if (started.status !== 'started') return yield* finish({ outcome, preMigrationBackup });

  setPhase(context, { phase: 'verifying', recordName, percent: 99, warnings });
  const verification: MigrationVerification = yield context.df.callActivityWithRetry(Activities.verifyMigration, retry, {
    recordName,
    preMigrationBackup: preMigrationBackup.backupName,
  });
  // The pre-migration backup describes the old platform: the new one gets a backup of its own at once.
  const post = outcome.status === 'succeeded' && verification.ok ? yield* backUp('post-migration-backup', 'manual', 'post') : undefined;
  return yield* finish({
    outcome,
    preMigrationBackup,
    verification,
    ...(post?.taken?.state === 'succeeded' ? { postMigrationBackup: post.taken.backupName } : {}),
  });
};
