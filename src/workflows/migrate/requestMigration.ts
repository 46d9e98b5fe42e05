/** Validates a migration request (kind, consent, confirmation) and starts the singleton migration of the instance. */
import { randomUUID } from 'node:crypto';
import { resolveInstance } from '../../config/resolveService';
import { migrationApprovalReason } from '../../domain/approvalNeed';
import type { Services } from '../../services';
import { startRecorded, type RequestOrigin } from '../approval/startRecorded';
import { targetLockId } from '../../domain/instanceIds';
import type { MigrationMode } from '../../domain/migration';
import { UserError, ValidationError } from '../../errors';
import { quoteInput } from '../../validation';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';
import type { MigrationRequest } from './types';

export interface MigrationAsk {
  service: string;
  mode?: MigrationMode;
  /** Side by side: the stv2 instance to restore into. */
  target?: string;
  /** The name of the instance that changes: the service in place, the target side by side. */
  confirm?: string;
  requestedBy: string;
}

export async function requestMigration(
  services: Services,
  starter: OrchestrationStarter,
  ask: MigrationAsk,
  origin: Omit<RequestOrigin, 'requestedBy'>,
): Promise<{ instanceId: string; service: string; awaitingApproval?: { requestedBy: string; expiresAt: string; reason: string } }> {
  const { config } = services;
  const instance = resolveInstance(config, ask.service, 'service');
  const target = ask.target === undefined ? undefined : resolveInstance(config, ask.target, 'target');
  if (target && ask.mode) {
    throw new ValidationError('migration request', [{ path: 'mode', message: 'a side-by-side migration has no mode: it restores into the target; drop mode' }]);
  }
  if (target && target.ref.id.toLowerCase() === instance.ref.id.toLowerCase()) {
    throw new ValidationError('migration request', [
      { path: 'target', message: `the target must be another instance than '${instance.ref.name}'; to migrate it in place, drop target` },
    ]);
  }
  const changed = target ?? instance;
  if (ask.confirm !== changed.ref.name) {
    const what = target ? 'the restore replaces its whole configuration' : 'the migration cannot be undone';
    throw new ValidationError('migration request', [
      {
        path: 'confirm',
        message: `must be '${changed.ref.name}' (got ${ask.confirm === undefined ? 'nothing' : quoteInput(ask.confirm)}): ${what}`,
      },
    ]);
  }
  // One restore or migration per instance at a time: the migration holds the instance it changes.
  const instanceId = targetLockId(changed.ref.name, changed.ref.id);
  const input: MigrationRequest = {
    kind: target ? 'side-by-side' : 'in-place',
    serviceId: instance.ref.id,
    mode: ask.mode ?? 'PreserveIp',
    ...(target ? { targetId: target.ref.id } : {}),
    requestedBy: ask.requestedBy,
    correlationId: randomUUID(),
  };
  const { started, record } = await startRecorded(services, starter, {
    orchestration: Orchestrations.migrate,
    operationId: instanceId,
    kind: 'migration',
    input,
    confirm: ask.confirm,
    origin: { ...origin, requestedBy: ask.requestedBy },
    approvalReason: migrationApprovalReason(config.approvals, input.kind, instance.ref.name),
    subject: instance.ref.name,
  });
  if (!started) throw new UserError(`a restore or migration of '${changed.ref.name}' is already running (operation ${instanceId})`, 'conflict', 'InstanceBusy');
  const awaiting = record.state === 'awaiting' ? { requestedBy: record.requestedBy, expiresAt: record.expiresAt!, reason: record.reason! } : undefined;
  return { instanceId, service: instance.ref.name, ...(awaiting ? { awaitingApproval: awaiting } : {}) };
}
