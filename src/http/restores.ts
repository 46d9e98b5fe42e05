/** HTTP: the restore dry run. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import { checkRestore } from '../workflows/check/checkRestore';
import { parseBody } from './respond';

const instance = (what: string) => z.string({ message: `'${what}' must be the name or resource ID of an APIM instance` }).min(1);

export const checkRequestSchema = z.strictObject({
  source: instance('source'),
  target: instance('target'),
  backup: z.string().min(1).optional(),
  allowInPlace: z.boolean().optional(),
});

export async function postRestoreCheck(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const body = await parseBody(request, checkRequestSchema);
  return { status: 200, jsonBody: await checkRestore(services, body) };
}
