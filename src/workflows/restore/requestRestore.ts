/** Validates a restore request (consent, confirmation, rollback path) and starts the singleton restore of the target. */
import { quoteInput } from '../../validation';
import { randomUUID } from 'node:crypto';
import { resolveInstance, resolveService, restoreRelation } from '../../config/resolveService';
import { targetLockId } from '../../domain/instanceIds';
import { lockConflict } from '../targetLock';
import type { RestorePurpose } from '../../domain/restoreRecord';
import { UserError, ValidationError } from '../../errors';
import { restoreApprovalReason } from '../../domain/approvalNeed';
import type { Services } from '../../services';
import { startRecorded, type RequestOrigin } from '../approval/startRecorded';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';
import { consentProblem } from './consent';
import type { RestoreRequest } from './types';

export interface RestoreAsk {
  source: string;
  target: string;
  backup?: string;
  /** Must equal the target's name: a restore replaces its whole configuration. */
  confirm?: string;
  allowInPlace?: boolean;
  /** Defaults to on when the target is itself a protected instance (not a pure standby). */
  preRestoreBackup?: boolean;
  purpose?: RestorePurpose;
  rollbackOf?: string;
  requestedBy: string;
}

/** `preflight` runs once the ask is valid and consented, before anything starts: the HTTP edge refuses there what the dry run can know. */
export async function requestRestore(
  services: Services,
  starter: OrchestrationStarter,
  ask: RestoreAsk,
  origin: Omit<RequestOrigin, 'requestedBy'>,
  preflight?: () => Promise<void>,
): Promise<{ instanceId: string; target: string; awaitingApproval?: { requestedBy: string; expiresAt: string; reason: string } }> {
  const { config } = services;
  const source = resolveService(config, ask.source, 'source');
  const target = resolveInstance(config, ask.target, 'target');
  const purpose = ask.purpose ?? 'restore';
  const problem = consentProblem(restoreRelation(source.ref.id, target), purpose, ask.allowInPlace === true, source.ref.name, target.ref.name);
  if (problem) throw new UserError(`${problem.message}: ${problem.fix}`, 'refused', problem.code);
  if (ask.confirm !== target.ref.name) {
    throw new ValidationError('restore request', [
      {
        path: 'confirm',
        message: `must be the target's name, '${target.ref.name}' (got ${ask.confirm === undefined ? 'nothing' : quoteInput(ask.confirm)}): the restore replaces its whole configuration`,
      },
    ]);
  }
  const preRestoreBackup = ask.preRestoreBackup ?? target.protected !== undefined;
  if (preRestoreBackup && !target.protected) {
    throw new ValidationError('restore request', [
      {
        path: 'preRestoreBackup',
        message: `'${target.ref.name}' is not a protected instance, so apim-dr cannot back it up first: add it to 'services' in the config, or send preRestoreBackup: false`,
      },
    ]);
  }
  const instanceId = targetLockId(target.ref.name, target.ref.id);
  const input: RestoreRequest = {
    sourceId: source.ref.id,
    targetId: target.ref.id,
    backup: ask.backup === 'latest' ? undefined : ask.backup,
    requestedBy: ask.requestedBy,
    correlationId: randomUUID(),
    purpose,
    allowInPlace: ask.allowInPlace === true,
    preRestoreBackup,
    ...(ask.rollbackOf ? { rollbackOf: ask.rollbackOf } : {}),
  };
  const relation = restoreRelation(source.ref.id, target);
  const approvalReason = restoreApprovalReason(config.approvals, {
    relation,
    purpose,
    target: target.ref.name,
    targetProtected: target.protected !== undefined,
    preRestoreBackup,
  });
  await preflight?.();
  const { started, record } = await startRecorded(services, starter, {
    orchestration: Orchestrations.restore,
    operationId: instanceId,
    kind: 'restore',
    input,
    confirm: ask.confirm,
    origin: { ...origin, requestedBy: ask.requestedBy },
    approvalReason,
    subject: target.ref.name,
  });
  if (!started) throw await lockConflict(starter, target.ref.name, target.ref.id, 'the restore');
  const awaiting = record.state === 'awaiting' ? { requestedBy: record.requestedBy, expiresAt: record.expiresAt!, reason: record.reason! } : undefined;
  return { instanceId, target: target.ref.name, ...(awaiting ? { awaitingApproval: awaiting } : {}) };
}
