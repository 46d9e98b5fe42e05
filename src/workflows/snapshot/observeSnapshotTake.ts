/** The incident of a snapshot that could not be taken: opened when a take fails, resolved by the next one taken. */
import { instanceSeen } from '../../domain/incidentClosures';
import { parseServiceId } from '../../domain/resourceId';
import type { Services } from '../../services';

export interface SnapshotTakeOutcome {
  serviceId: string;
  failed: boolean;
  error?: string;
  correlationId?: string;
}

export async function observeSnapshotTake(services: Services, outcome: SnapshotTakeOutcome): Promise<void> {
  const service = parseServiceId(outcome.serviceId)?.name ?? outcome.serviceId;
  if (outcome.failed)
    services.logger.event(
      'apim-dr.snapshot.failed',
      { ...(outcome.correlationId ? { correlationId: outcome.correlationId } : {}), service, error: outcome.error },
      'error',
    );
  await services.notifier.observe([
    {
      kind: 'snapshot.failed',
      subject: service,
      active: outcome.failed,
      at: services.clock.now().toISOString(),
      detail: outcome.failed ? outcome.error : undefined,
    },
    ...(outcome.failed ? [] : [instanceSeen(service, services.clock.now().toISOString(), 'a snapshot of it was taken')]),
  ]);
}
