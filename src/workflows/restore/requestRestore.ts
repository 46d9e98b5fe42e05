/** Validates a restore request (standby, confirmation) and starts the singleton restore of the target. */
import { randomUUID } from 'node:crypto';
import { resolveInstance, resolveService } from '../../config/resolveService';
import type { Config } from '../../config/schema';
import { restoreInstanceId } from '../../domain/instanceIds';
import { sameServiceId } from '../../domain/resourceId';
import { UserError, ValidationError } from '../../errors';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';
import type { RestoreRequest } from './types';

export interface RestoreAsk {
  source: string;
  target: string;
  backup?: string;
  /** Must equal the target's name: a restore replaces its whole configuration. */
  confirm?: string;
  allowInPlace?: boolean;
  requestedBy: string;
}

export async function requestRestore(config: Config, starter: OrchestrationStarter, ask: RestoreAsk): Promise<{ instanceId: string; target: string }> {
  const source = resolveService(config, ask.source, 'source');
  const target = resolveInstance(config, ask.target, 'target');
  if (sameServiceId(source.ref.id, target.ref.id)) {
    throw new UserError(
      `restoring '${source.ref.name}' into itself needs a pre-restore backup as its rollback path, which apim-dr does not take yet; restore into a standby instead`,
      403,
      'InPlaceNotSupported',
    );
  }
  if (!target.standbyOf.some((id) => sameServiceId(id, source.ref.id))) {
    throw new UserError(`'${target.ref.name}' is not a configured standby of '${source.ref.name}': add it to services[].standbys of '${source.ref.name}' in the config`, 403, 'NotAStandby');
  }
  if (ask.confirm !== target.ref.name) {
    throw new ValidationError('restore request', [
      { path: 'confirm', message: `must be the target's name, '${target.ref.name}' (got ${ask.confirm === undefined ? 'nothing' : JSON.stringify(ask.confirm)}): the restore replaces its whole configuration` },
    ]);
  }
  const instanceId = restoreInstanceId(target.ref.name, target.ref.id);
  const input: RestoreRequest = { sourceId: source.ref.id, targetId: target.ref.id, backup: ask.backup === 'latest' ? undefined : ask.backup, requestedBy: ask.requestedBy, correlationId: randomUUID() };
  const { started } = await starter.start(Orchestrations.restore, instanceId, input);
  if (!started) throw new UserError(`a restore into '${target.ref.name}' is already running (operation ${instanceId})`, 409, 'TargetBusy');
  return { instanceId, target: target.ref.name };
}
