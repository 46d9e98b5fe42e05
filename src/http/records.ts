/** HTTP: restore and migration records, newest first, any backup or record whole, and an operation's events. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { ValidationError } from '../errors';
import type { Services } from '../services';
import { describeIssue } from '../validation';
import { describeEntry, NAME_FORMATS } from '../workflows/records/describeEntry';
import { DEFAULT_RECORD_LIMIT, listRecords } from '../workflows/records/listRecords';
import { operationLog } from '../workflows/records/operationLog';

const recordsQuery = z.object({
  target: z.string().min(1).optional(),
  limit: z.coerce.number({ message: "'limit' must be a number of records, 1-500" }).int().min(1).max(500).default(DEFAULT_RECORD_LIMIT),
});

const describeQuery = z.object({ name: z.string({ message: `'name' must be ${NAME_FORMATS}` }).min(1) });

export async function getRecords(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const query = parseQuery(request, recordsQuery);
  return { status: 200, jsonBody: { records: await listRecords(services, query.target, query.limit) } };
}

export async function getDescribe(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const query = parseQuery(request, describeQuery);
  return { status: 200, jsonBody: await describeEntry(services, query.name) };
}

/** `GET /api/operations/{id}/logs`: `id` is an operation ID, a backup's name, or a record's name without its folder. */
export async function getOperationLog(services: Services, id: string): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: await operationLog(services, id) };
}

function parseQuery<T extends z.ZodType>(request: HttpRequest, schema: T): z.output<T> {
  const result = schema.safeParse(Object.fromEntries(request.query.entries()), { reportInput: true });
  if (!result.success) throw new ValidationError('query', result.error.issues.map(describeIssue));
  return result.data;
}
