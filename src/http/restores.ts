/** HTTP: the restore dry run. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import { checkRestore } from '../workflows/check/checkRestore';
import { requestRestore } from '../workflows/restore/requestRestore';
import type { OrchestrationStarter } from '../workflows/starter';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const instance = (what: string) => z.string({ message: `'${what}' must be the name or resource ID of an APIM instance` }).min(1);

export const checkRequestSchema = z.strictObject({
  source: instance('source'),
  target: instance('target'),
  backup: z.string().min(1).optional(),
  allowInPlace: z.boolean().optional(),
});

const restoreSchema = z.strictObject({
  source: instance('source'),
  target: instance('target'),
  backup: z.string().min(1).optional(),
  confirm: z.string().optional(),
  allowInPlace: z.boolean().optional(),
  preRestoreBackup: z.boolean().optional(),
});

export async function postRestore(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const body = await parseBody(request, restoreSchema);
  const started = await requestRestore(services, starter, { ...body, requestedBy: caller.requestedBy }, { via: 'http' });
  return accepted(request, started.instanceId, 30, {
    target: started.target,
    ...(started.awaitingApproval ? { awaitingApproval: started.awaitingApproval } : {}),
  });
}

export async function postRestoreCheck(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const body = await parseBody(request, checkRequestSchema);
  return { status: 200, jsonBody: await checkRestore(services, body) };
}
