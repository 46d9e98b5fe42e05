/** Activity: start a backup for every instance whose protection needs renewing (through the backup singleton). */
import { randomUUID } from 'node:crypto';
import type { Protection } from '../../domain/protection';
import type { Services } from '../../services';
import { UserError } from '../../errors';
import { RESTORE_RUNNING, requestBackup } from '../backup/requestBackup';
import type { OrchestrationStarter } from '../starter';
import { snapshotOnlyServices } from '../snapshot/snapshotTick';
import type { RenewalResult } from './types';

export async function renewBackups(services: Services, starter: OrchestrationStarter, protection: Protection[]): Promise<RenewalResult> {
  const result: RenewalResult = { started: [], coalesced: [] };
  const correlationId = randomUUID();
  // Snapshots, not native backups, protect a v2 instance.
  const snapshotOnly = await snapshotOnlyServices(services);
  for (const p of protection.filter((x) => x.renew && !snapshotOnly.has(x.service.toLowerCase()))) {
    const requested = await requestBackup(services.config, starter, p.service, 'scheduled', `sweep:${p.renew}`, correlationId).catch((err: unknown) => {
      // The schedule tick renews it after the restore: the instance stays due.
      if (err instanceof UserError && err.code === RESTORE_RUNNING) return undefined;
      throw err;
    });
    if (!requested) {
      services.logger.event('apim-dr.backup.renewal', { service: p.service, reason: p.renew, started: false, deferredBy: 'restore', correlationId });
      continue;
    }
    (requested.started ? result.started : result.coalesced).push(p.service);
    services.logger.event('apim-dr.backup.renewal', { service: p.service, reason: p.renew, started: requested.started, correlationId });
  }
  return result;
}
