/**
 * Configuration-change events from Event Grid: APIM's own events and ARM resource events, in the Event Grid
 * or CloudEvents schema. Parsed with zod at the edge, then classified: a change of an APIM instance, or ignored.
 */
import { z } from 'zod';
import { parseServiceId, type ServiceRef } from './resourceId';

const eventGridEvent = z.object({
  id: z.string().min(1).max(256),
  eventType: z.string().min(1).max(256),
  subject: z.string().max(2048),
  eventTime: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'is not a timestamp'),
  topic: z.string().max(2048).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

const cloudEvent = z.object({
  id: z.string().min(1).max(256),
  type: z.string().min(1).max(256),
  source: z.string().max(2048),
  subject: z.string().max(2048).optional(),
  time: z
    .string()
    .refine((t) => !Number.isNaN(Date.parse(t)), 'is not a timestamp')
    .optional(),
  specversion: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

/** Event Grid delivers at most 1 MB per event; anything near that is not an APIM or ARM change event. */
export const MAX_EVENT_BYTES = 64 * 1024;

export interface ChangeEvent {
  kind: 'change';
  id: string;
  type: string;
  at: string;
  service: ServiceRef;
  resource: string;
}

/** The protected instance itself was deleted: nothing to back up, an incident to raise. */
export interface InstanceDeleted {
  kind: 'instance-deleted';
  id: string;
  at: string;
  service: ServiceRef;
}

export type Classified = ChangeEvent | InstanceDeleted | { kind: 'ignored'; id: string; reason: string } | { kind: 'malformed'; id?: string; reason: string };

const APIM_EVENT = /^Microsoft\.ApiManagement\.[A-Za-z]+(Created|Updated|Deleted)$/;
const ARM_CHANGE = /^Microsoft\.Resources\.Resource(WriteSuccess|DeleteSuccess|ActionSuccess)$/;
const APIM_RESOURCE = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+)(\/.*)?$/i;

/** `receivedAt` dates an event that carries no time of its own (a CloudEvent's `time` is optional). */
export function classifyEvent(raw: unknown, receivedAt: Date): Classified {
  const size = safeSize(raw);
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
  if (size > MAX_EVENT_BYTES) return { kind: 'malformed', id, reason: `event is ${size} bytes, more than the ${MAX_EVENT_BYTES} a change event needs` };
  const grid = eventGridEvent.safeParse(raw);
  const cloud = grid.success ? undefined : cloudEvent.safeParse(raw);
  if (!grid.success && !cloud?.success) {
    const issue = grid.error.issues[0];
    return { kind: 'malformed', id, reason: `not an Event Grid or CloudEvents event: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim() };
  }
  const event = grid.success
    ? {
        id: grid.data.id,
        type: grid.data.eventType,
        subject: grid.data.subject,
        topic: grid.data.topic ?? '',
        at: grid.data.eventTime,
        data: grid.data.data ?? {},
      }
    : {
        id: cloud!.data!.id,
        type: cloud!.data!.type,
        subject: cloud!.data!.subject ?? '',
        topic: cloud!.data!.source,
        // Without a time, the change happened no later than now: dating it at receipt keeps it newer than any backup
        // that started before, so it is backed up (at 1970 it would count as covered and be dropped).
        at: cloud!.data!.time ?? receivedAt.toISOString(),
        data: cloud!.data!.data ?? {},
      };

  let resource: string | undefined;
  if (APIM_EVENT.test(event.type)) {
    resource = stringField(event.data, 'resourceUri') ?? `${event.topic}${event.subject}`;
  } else if (ARM_CHANGE.test(event.type)) {
    resource = stringField(event.data, 'resourceUri') ?? event.subject;
    const operation =
      stringField(event.data, 'operationName') ?? stringField(event.data?.['authorization'] as Record<string, unknown> | undefined, 'action') ?? '';
    // An action (backup, restore, migrateToStv2, listSecrets, a user's token, …) reads or operates; it writes no
    // configuration a backup would hold. apim-dr's own actions among them would otherwise trigger backups forever.
    if (event.type.endsWith('ActionSuccess')) {
      return { kind: 'ignored', id: event.id, reason: `'${operation || 'unknown action'}' is an action, not a configuration change` };
    }
  } else {
    return { kind: 'ignored', id: event.id, reason: `event type '${event.type}' is not a configuration change` };
  }
  const match = APIM_RESOURCE.exec(resource);
  const service = match ? parseServiceId(match[1]!) : undefined;
  if (!service) return { kind: 'ignored', id: event.id, reason: `'${resource}' is not under an APIM instance` };
  const at = new Date(event.at).toISOString();
  // The instance's own deletion (no child path); deleting an API, a product, … is a configuration change.
  if (event.type.endsWith('DeleteSuccess') && !match![2]?.replace(/\/+$/, '')) return { kind: 'instance-deleted', id: event.id, at, service };
  return { kind: 'change', id: event.id, type: event.type, at, service, resource };
}

function stringField(data: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = data?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

function safeSize(raw: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(raw) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
