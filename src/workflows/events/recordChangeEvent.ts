/** Event Grid handler logic: validate, map to a configured instance, ignore what is not a change, record it. */
import { classifyEvent } from '../../domain/changeEvents';
import { instanceSeen } from '../../domain/incidentClosures';
import { recordChange } from '../../domain/pendingChanges';
import { sameServiceId } from '../../domain/resourceId';
import type { Services } from '../../services';

export type ChangeOutcome = 'recorded' | 'duplicate' | 'ignored' | 'malformed' | 'instance-deleted';

/** Never throws for a bad event (it is logged with its id and dropped); storage failures throw, so Event Grid retries. */
export async function recordChangeEvent(services: Services, raw: unknown): Promise<ChangeOutcome> {
  const event = classifyEvent(raw, services.clock.now());
  if (event.kind === 'malformed') {
    services.logger.event('apim-dr.event.malformed', { eventId: event.id, reason: event.reason }, 'warn');
    return 'malformed';
  }
  if (event.kind === 'ignored') {
    services.logger.log('debug', 'event ignored', { eventId: event.id, reason: event.reason });
    return 'ignored';
  }
  const configured = services.config.services.find((s) => sameServiceId(s.id, event.service.id));
  if (event.kind === 'instance-deleted') {
    if (!configured) return 'ignored';
    // Nothing is left to back up: a backup would only fail on a missing instance. The operator must hear of it.
    services.logger.event('apim-dr.instance.deleted', { service: event.service.name, eventId: event.id, at: event.at }, 'error');
    await services.notifier.observe([
      { kind: 'instance.deleted', subject: event.service.name, active: true, at: event.at, detail: `Event Grid reported the deletion of ${event.service.id}` },
    ]);
    return 'instance-deleted';
  }
  // The instance itself written (created again, say): it exists, whatever a deletion event said before.
  if (configured && event.type.endsWith('WriteSuccess') && sameServiceId(event.resource, event.service.id)) {
    await services.notifier.observe([instanceSeen(event.service.name, event.at, 'Azure reported a write of the instance itself')]);
  }
  if (!configured?.events?.enabled && !configured?.snapshots?.afterChange) {
    services.logger.log('debug', 'event ignored', {
      eventId: event.id,
      reason: configured ? `events are off for '${event.service.name}'` : `'${event.service.name}' is not configured`,
    });
    return 'ignored';
  }
  let duplicate = false;
  const state = await services.changes.update(event.service.name, (current) => {
    const next = recordChange(current, { id: event.id, at: event.at });
    duplicate = next === current;
    return next;
  });
  if (duplicate) return 'duplicate';
  services.logger.event('apim-dr.change.recorded', {
    service: event.service.name,
    eventId: event.id,
    type: event.type,
    resource: event.resource,
    pending: state.count,
  });
  return 'recorded';
}
