/** HTTP: take a snapshot, list them. (Applying is in snapshotApply.ts.) */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import type { OrchestrationStarter } from '../workflows/starter';
import { requestSnapshot } from '../workflows/snapshot/requestSnapshot';
import { configuredInstance } from '../workflows/snapshot/takeSnapshot';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const snapshotRequestSchema = z.strictObject({
  service: z.string({ message: "'service' must be the name or resource ID of a configured APIM instance" }).min(1),
});

export async function postSnapshot(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const body = await parseBody(request, snapshotRequestSchema);
  const requested = await requestSnapshot(services, starter, body.service, 'manual', caller.requestedBy);
  return accepted(request, requested.instanceId, 5, { service: requested.service, started: requested.started });
}

export async function listSnapshots(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const service = request.query.get('service');
  const name = service ? configuredInstance(services, service).name : undefined;
  return { status: 200, jsonBody: { snapshots: await services.snapshots.list(name) } };
}
