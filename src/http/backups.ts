/** HTTP: request an on-demand backup, list the catalog, follow an operation. */
import { clip } from '../validation';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { resolveService } from '../config/resolveService';
import { BACKUP_STATES } from '../domain/manifest';
import { UserError } from '../errors';
import type { Services } from '../services';
import { requestBackup } from '../workflows/backup/requestBackup';
import type { OrchestrationStarter } from '../workflows/starter';
import { operationStatus } from '../workflows/watch';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const backupRequestSchema = z.strictObject({
  service: z.string({ message: "'service' must be the name or resource ID of a configured APIM instance" }).min(1),
});

export async function postBackup(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const body = await parseBody(request, backupRequestSchema);
  const requested = await requestBackup(services.config, starter, body.service, 'manual', caller.requestedBy);
  return accepted(request, requested.instanceId, 10, { service: requested.service, started: requested.started });
}

const OPERATION_ID = /^(backup|restore|snapshot|snapshot-apply)-[a-z0-9-]{1,60}-[0-9a-f]{8}$/;

/** Only apim-dr's own operations are reachable over HTTP: the ID is checked before the task hub is asked. */
export function checkOperationId(id: string): string {
  if (!OPERATION_ID.test(id)) {
    throw new UserError(
      `operation id '${clip(id)}' is not an apim-dr operation id (expected e.g. 'backup-<service>-<hash8>' or 'restore-<service>-<hash8>')`,
      'usage',
      'InvalidOperationId',
    );
  }
  return id;
}

export async function getOperation(starter: OrchestrationStarter, id: string): Promise<HttpResponseInit> {
  checkOperationId(id);
  const status = await operationStatus(starter, id);
  if (!status) throw new UserError(`operation '${id}' was not found`, 'not-found', 'OperationNotFound');
  return { status: 200, jsonBody: status };
}

const listQuerySchema = z.object({
  service: z.string().optional(),
  state: z.enum(BACKUP_STATES).optional(),
});

export async function listBackups(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const query = listQuerySchema.safeParse(Object.fromEntries(request.query.entries()));
  if (!query.success) {
    throw new UserError(`query parameter 'state' must be one of ${BACKUP_STATES.join(', ')}`, 'usage', 'InvalidQuery');
  }
  const service = query.data.service ? resolveService(services.config, query.data.service).ref.name : undefined;
  const now = services.clock.now().getTime();
  const backups = (await services.catalog.list(service))
    .filter((b) => !query.data.state || b.state === query.data.state)
    .map((b) => ({ ...b, timeLeftMs: b.expiresAt ? Math.max(0, Date.parse(b.expiresAt) - now) : undefined }));
  return { status: 200, jsonBody: { backups } };
}
