/** HTTP: the migration dry run and the migration off stv1 (in place, or side by side into a standby). */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import { checkInPlaceMigration, checkSideBySideMigration } from '../workflows/migrate/checkMigration';
import { requestMigration } from '../workflows/migrate/requestMigration';
import type { OrchestrationStarter } from '../workflows/starter';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const instance = (what: string) => z.string({ message: `'${what}' must be the name or resource ID of an APIM instance` }).min(1);
const mode = z.enum(['PreserveIp', 'NewIP'], {
  message: "'mode' must be 'PreserveIp' (keep the IP, ~15 minutes of downtime) or 'NewIP' (no downtime, new IP)",
});

const checkSchema = z.strictObject({ service: instance('service'), mode: mode.optional(), target: instance('target').optional() });
const migrateSchema = checkSchema.extend({ confirm: z.string().optional() });

export async function postMigrationCheck(services: Services, starter: OrchestrationStarter, request: HttpRequest): Promise<HttpResponseInit> {
  const body = await parseBody(request, checkSchema);
  const report = body.target
    ? await checkSideBySideMigration(services, { service: body.service, target: body.target }, starter)
    : await checkInPlaceMigration(services, body, starter);
  return { status: 200, jsonBody: report };
}

export async function postMigration(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const body = await parseBody(request, migrateSchema);
  const started = await requestMigration(services, starter, { ...body, requestedBy: caller.requestedBy }, { via: 'http' });
  return accepted(request, started.instanceId, 60, {
    service: started.service,
    ...(started.awaitingApproval ? { awaitingApproval: started.awaitingApproval } : {}),
  });
}
