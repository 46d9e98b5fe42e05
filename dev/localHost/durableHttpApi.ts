/** The Durable extension's HTTP API (`/runtime/webhooks/durabletask/…`) that durable-functions' DurableClient calls. */
import { decodePathSegment, parseJsonBody } from './badRequest';
import type { ServerResponse } from 'node:http';
import type { DurableEngine, OrchestrationInstance } from '../../src/inProcess/durableEngine';
import { sameSecret } from './localAuth';

export const DURABLE_PREFIX = '/runtime/webhooks/durabletask/';
/** Where the functions' own Durable client calls in, under a per-process secret (the Functions host's loopback RPC endpoint). */
export const DURABLE_INTERNAL_SEGMENT = 'internal';

export function durableClientData(origin: string, internalSecret: string): Record<string, unknown> {
  return {
    taskHubName: 'ApimDrLocal',
    creationUrls: {},
    managementUrls: {},
    baseUrl: `${origin}${DURABLE_PREFIX}`,
    requiredQueryStringParameters: '',
    rpcBaseUrl: `${origin}${DURABLE_PREFIX}${DURABLE_INTERNAL_SEGMENT}/${internalSecret}/`,
  };
}

/** The path of a call through the internal base URL with `secret`, as the public API would see it; undefined for any other call. */
export function internalDurablePath(pathname: string, secret: string): string | undefined {
  const prefix = `${DURABLE_PREFIX}${DURABLE_INTERNAL_SEGMENT}/`;
  if (!pathname.startsWith(prefix)) return undefined;
  const rest = pathname.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash < 0 || !sameSecret(rest.slice(0, slash), secret)) return undefined;
  return `${DURABLE_PREFIX}${rest.slice(slash + 1)}`;
}

export function handleDurableRequest(engine: DurableEngine, method: string, url: URL, body: string, res: ServerResponse): void {
  const path = url.pathname.slice(DURABLE_PREFIX.length).split('/').map(decodePathSegment);
  const [root, first, second, third] = path;
  const call = `${method} ${root}${first ? '/{id}' : ''}${second ? '/…' : ''}`;
  engine.apiCalls.set(call, (engine.apiCalls.get(call) ?? 0) + 1);
  if (root === 'orchestrators' && method === 'POST' && first) {
    const instanceId = second || `${first}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const input = parseJsonBody(body);
    if (!engine.start(first, instanceId, input)) {
      return json(res, 409, { message: `An instance with ID '${instanceId}' already exists and is running.` });
    }
    return json(res, 202, { id: instanceId });
  }
  if (root === 'instances' && method === 'GET' && !first) {
    const wanted = url.searchParams.get('runtimeStatus')?.split(',').filter(Boolean);
    const list = [...engine.instances.values()].filter((i) => !wanted || wanted.includes(i.runtimeStatus));
    return json(
      res,
      200,
      list.map((i) => statusOf(i, false)),
    );
  }
  const instance = first ? engine.instances.get(first) : undefined;
  if (root === 'instances' && first && method === 'GET') {
    if (!instance) return json(res, 404, { message: `No instance with ID '${first}' was found.` });
    return json(res, instance.runtimeStatus === 'Completed' ? 200 : 202, statusOf(instance, url.searchParams.get('showHistory') === 'true'));
  }
  if (root === 'instances' && first && method === 'POST' && second === 'raiseEvent' && third) {
    return engine.raiseEvent(first, third, parseJsonBody(body)) ? json(res, 202, {}) : json(res, instance ? 410 : 404, {});
  }
  if (root === 'instances' && first && method === 'POST' && second === 'terminate') {
    return engine.terminate(first, url.searchParams.get('reason') ?? '') ? json(res, 202, {}) : json(res, instance ? 410 : 404, {});
  }
  if (root === 'instances' && first && method === 'DELETE') {
    const deleted = engine.instances.delete(first);
    return json(res, deleted ? 200 : 404, { instancesDeleted: deleted ? 1 : 0 });
  }
  json(res, 404, { message: `The local host does not implement ${method} ${url.pathname}` });
}

function statusOf(instance: OrchestrationInstance, withHistory: boolean): Record<string, unknown> {
  return {
    name: instance.name,
    instanceId: instance.instanceId,
    createdTime: instance.createdTime.toISOString(),
    lastUpdatedTime: instance.lastUpdatedTime.toISOString(),
    input: instance.input ?? null,
    output: instance.output ?? null,
    runtimeStatus: instance.runtimeStatus,
    customStatus: instance.customStatus ?? null,
    ...(withHistory ? { historyEvents: instance.history } : {}),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
