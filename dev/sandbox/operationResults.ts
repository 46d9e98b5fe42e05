/**
 * How ARM answers about a long-running APIM operation. The 202 names a Location under the instance
 * (`…/service/{name}/operationresults/{id}?api-version=…`, as the 2024-05-01 examples show) and, for some operations,
 * an Azure-AsyncOperation status URL (`…/service/{name}/operationstatuses/{id}`). Location answers 202 while the
 * operation runs, then 200 with the instance or the operation's error; the status URL answers 200 with
 * `{status: InProgress | Succeeded | Failed, error?}`. A result is kept a while, then both answer 404.
 */
import type { ApimSandbox, Operation } from './ApimSandbox';

export const OPERATION_URL =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+)\/(operationresults|operationstatuses)\/([^/]+)$/i;

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The headers of the 202 that starts `operation`. */
export function acceptedHeaders(origin: string, serviceId: string, operation: Operation, apiVersion: string): Record<string, string> {
  const base = `${origin}${serviceId}`;
  return {
    Location: `${base}/operationresults/${operation.id}?api-version=${apiVersion}`,
    ...(operation.asyncStatus ? { 'Azure-AsyncOperation': `${base}/operationstatuses/${operation.id}?api-version=${apiVersion}` } : {}),
  };
}

/** The answer to a GET of an operation URL (`match` is OPERATION_URL's), after the sandbox has settled what is due. */
export function operationAnswer(sandbox: ApimSandbox, match: RegExpExecArray, href: string, retryAfter: Record<string, string>): Answer {
  const [, serviceId, which, id] = match as unknown as [string, string, string, string];
  const operation = sandbox.findOperation(id);
  const service = operation && sandbox.getService(operation.serviceKey);
  if (!operation || !service || service.id.toLowerCase() !== serviceId.toLowerCase() || sandbox.resultExpired(operation)) {
    return { status: 404, body: { error: { code: 'NotFound', message: `The operation '${id}' was not found.` } } };
  }
  if (which.toLowerCase() === 'operationstatuses') {
    const status = !operation.settled ? 'InProgress' : operation.settled.ok ? 'Succeeded' : 'Failed';
    const body = {
      id: `${serviceId}/operationstatuses/${id}`,
      name: id,
      status,
      startTime: new Date(operation.startedAt).toISOString(),
      ...(operation.settledAt !== undefined ? { endTime: new Date(operation.settledAt).toISOString() } : {}),
      ...(operation.settled && !operation.settled.ok ? { error: operation.settled.error } : {}),
    };
    return { status: 200, body, headers: operation.settled ? {} : retryAfter };
  }
  if (!operation.settled) return { status: 202, headers: { Location: href, ...retryAfter } };
  if (!operation.settled.ok) return { status: 400, body: { error: operation.settled.error } };
  return { status: 200, body: sandbox.resource(service) };
}
