/** Starts (or joins) the singleton backup orchestration of one configured instance. */
import { randomUUID } from 'node:crypto';
import { resolveService } from '../../config/resolveService';
import type { Config } from '../../config/schema';
import type { BackupTrigger } from '../../domain/backupName';
import { backupInstanceId } from '../../domain/instanceIds';
import { lockHolder } from '../targetLock';
import { UserError } from '../../errors';
import { Orchestrations } from '../names';
import type { OrchestrationStarter } from '../starter';
import type { BackupRequest } from './types';

export interface BackupRequested {
  instanceId: string;
  service: string;
  /** False when a backup of this instance was already running: the request joined it. */
  started: boolean;
}

export const RESTORE_RUNNING = 'RestoreRunning';

export async function requestBackup(
  config: Config,
  starter: OrchestrationStarter,
  service: string,
  trigger: BackupTrigger,
  requestedBy: string,
  correlationId: string = randomUUID(),
  events?: BackupRequest['events'],
): Promise<BackupRequested> {
  const resolved = resolveService(config, service);
  const instanceId = backupInstanceId(resolved.ref.name, resolved.ref.id);
  const holder = await lockHolder(starter, resolved.ref.name, resolved.ref.id);
  if (holder) {
    // A backup taken mid-restore (or mid-apply) would hold half of the old configuration and half of the new; a migration takes its own.
    throw new UserError(
      `${holder.what} '${resolved.ref.name}' is running (since ${holder.since}); back it up once it has finished`,
      'conflict',
      RESTORE_RUNNING,
    );
  }
  const input: BackupRequest = { serviceId: resolved.ref.id, trigger, requestedBy, correlationId, ...(events ? { events } : {}) };
  const { started } = await starter.start(Orchestrations.backup, instanceId, input);
  return { instanceId, service: resolved.ref.name, started };
}
