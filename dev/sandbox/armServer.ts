/** The sandbox's HTTPS endpoint: ARM's request and response shapes for the APIM operations apim-dr uses. */
import { ensureError } from '../../src/errors';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sandboxTokenExpiry } from '../../src/azure/sandboxCredential';
import type { ApimSandbox, ArmFailure, OperationBody, SandboxOperationKind } from './ApimSandbox';
import { apiVersionRefusal } from './apiVersions';
import type { Certificate } from './certificate';
import { serveConfiguration } from './configApi';
import type { SandboxService } from './model';
import { answerResourceGraph } from './resourceGraph';
import { acceptedHeaders, OPERATION_URL, operationAnswer } from './operationResults';
import { pageOf } from './paging';

const SERVICE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)(?:\/(.+))?$/i;
const APIM_SERVICE_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)/i;
/** The tiers ARM lets have workspaces (and so workspace links); elsewhere it answers MethodNotAllowedInPricingTier. */
const WORKSPACE_TIERS = ['Premium', 'StandardV2', 'PremiumV2'];

export interface RunningArmServer {
  endpoint: string;
  close(): Promise<void>;
}

export async function startArmServer(sandbox: ApimSandbox, certificate: Certificate, port = 0): Promise<RunningArmServer> {
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    handle(sandbox, req, res).catch((err: unknown) => {
      send(res, 500, { error: { code: 'InternalServerError', message: ensureError(err).message } });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(sandbox: ApimSandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://sandbox');
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const record = (kind: string, status: number, service?: string) =>
    sandbox.record({ method, kind, service, status, at: sandbox.options.clock.now().getTime() });

  const fault = sandbox.faults.take(method, url.pathname);
  if (fault?.kind === 'reset') {
    record('fault.reset', 0);
    req.socket.destroy();
    return;
  }
  if (fault?.kind === 'drop-response') {
    record('fault.drop-response', 0);
    res.write = () => true;
    res.end = (() => {
      req.socket.destroy();
      return res;
    }) as typeof res.end;
    res.writeHead = () => res;
  } else if (fault) {
    record(`fault.${fault.status}`, fault.status);
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
    const code =
      fault.code ??
      { 400: 'BadRequest', 404: 'NotFound', 429: 'TooManyRequests', 409: 'Conflict', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable' }[
        fault.status
      ];
    send(res, fault.status, { error: { code, message: fault.message ?? `Injected sandbox fault ${fault.status}.` } }, headers);
    return;
  }
  if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    record('unauthenticated', 401);
    send(res, 401, { error: { code: 'AuthenticationFailed', message: 'Authentication failed. The Authorization header is missing.' } });
    return;
  }
  const expiry = sandboxTokenExpiry((req.headers.authorization ?? '').slice('Bearer '.length));
  const now = sandbox.options.clock.now().getTime();
  if (expiry !== undefined && expiry <= now) {
    record('expired-token', 401);
    const message = `The access token expiry UTC time '${new Date(expiry).toISOString()}' is earlier than current UTC time '${new Date(now).toISOString()}'.`;
    send(
      res,
      401,
      { error: { code: 'ExpiredAuthenticationToken', message } },
      { 'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="${message}"` },
    );
    return;
  }
  if (!url.searchParams.get('api-version')) {
    record('bad-request', 400);
    send(res, 400, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
    return;
  }
  const version = url.searchParams.get('api-version')!;
  const addressed = APIM_SERVICE_PATH.exec(url.pathname);
  if (addressed) {
    const target = sandbox.getService(
      `/subscriptions/${addressed[1]}/resourceGroups/${addressed[2]}/providers/Microsoft.ApiManagement/service/${addressed[3]}`,
    );
    const refused = apiVersionRefusal(version, target?.spec.location.replace(/\s+/g, '').toLowerCase() ?? 'westeurope');
    if (refused) {
      record('bad-api-version', 400, target?.spec.name);
      return send(res, 400, { error: refused });
    }
  }
  await sandbox.settle();

  if (method === 'POST' && /^\/providers\/Microsoft\.ResourceGraph\/resources$/i.test(url.pathname)) {
    const answer = answerResourceGraph(sandbox, body);
    record('resourcegraph.post', answer.status);
    return send(res, answer.status, answer.body, answer.headers);
  }

  const op = OPERATION_URL.exec(url.pathname);
  // A backup's, restore's or migration's result; any other operation result (a configuration PUT's) is the
  // configuration API's, below.
  const operation = op && method === 'GET' ? sandbox.findOperation(op[3]!) : undefined;
  if (op && operation) {
    const answer = operationAnswer(sandbox, op, url.href.replace('https://sandbox', origin(req)), retryAfter(sandbox));
    record(
      `${op[2]!.toLowerCase() === 'operationstatuses' ? 'operationstatus' : 'operation'}.get`,
      answer.status,
      sandbox.getService(operation.serviceKey)?.spec.name,
    );
    return send(res, answer.status, answer.body, answer.headers);
  }

  const match = SERVICE.exec(url.pathname);
  const service = match
    ? sandbox.getService(`/subscriptions/${match[1]}/resourceGroups/${match[2]}/providers/Microsoft.ApiManagement/service/${match[3]}`)
    : undefined;
  if (!match) {
    record('unknown', 404);
    return send(res, 404, { error: { code: 'InvalidResourceType', message: `The sandbox does not implement '${method} ${url.pathname}'.` } });
  }
  const action = match[4]?.toLowerCase();
  const kind = action ? `${action}.${method.toLowerCase()}` : `service.${method.toLowerCase()}`;
  if (!service) {
    record(kind, 404);
    return send(res, 404, {
      error: {
        code: 'ResourceNotFound',
        message: `The Resource 'Microsoft.ApiManagement/service/${match[3]}' under resource group '${match[2]}' was not found.`,
      },
    });
  }
  const operationKind = action === 'migratetostv2' ? 'migrate' : action === 'backup' || action === 'restore' ? action : undefined;
  const denied = operationKind ? `Microsoft.ApiManagement/service/${match[4]}/action` : 'Microsoft.ApiManagement/service/read';
  if (service.deniedActions.has(denied)) {
    record(kind, 403, service.spec.name);
    return send(res, 403, {
      error: {
        code: 'AuthorizationFailed',
        message: `The client does not have authorization to perform action '${denied}' over scope '${service.id}' or the scope is invalid.`,
      },
    });
  }

  const configuration = match[4]
    ? serveConfiguration(service, match[4], method, url, body, req.headers, origin(req), {
        scope: sandbox,
        now: sandbox.options.clock.now().getTime(),
        pageSize: sandbox.options.pageSize,
      })
    : undefined;
  if (configuration) {
    record(configuration.kind, configuration.status, service.spec.name);
    return send(res, configuration.status, configuration.body, configuration.headers);
  }
  if (!action && method === 'GET') {
    record(kind, 200, service.spec.name);
    return send(res, 200, sandbox.resource(service));
  }
  if (operationKind && method === 'POST') {
    return startOperation(sandbox, operationKind, service, parseJson(body), req, res, (status) => record(kind, status, service.spec.name));
  }
  if (action === 'workspacelinks' && method === 'GET') {
    if (!WORKSPACE_TIERS.includes(service.spec.sku.name)) {
      record(kind, 400, service.spec.name);
      return send(res, 400, { error: { code: 'MethodNotAllowedInPricingTier', message: `Method not allowed in ${service.spec.sku.name} pricing tier` } });
    }
    record(kind, 200, service.spec.name);
    const links = (service.spec.workspaceGateways ?? []).map((gateway, i) => ({
      id: `${service.id}/workspaceLinks/link${i}`,
      name: `link${i}`,
      type: 'Microsoft.ApiManagement/service/workspaceLinks',
      properties: { workspaceId: `${service.id}/workspaces/ws${i}`, gateways: [{ id: gateway }] },
    }));
    return send(res, 200, pageOf(links, url, origin(req), pageSize(sandbox)));
  }
  record(kind, 405, service.spec.name);
  return send(res, 405, { error: { code: 'MethodNotAllowed', message: `The sandbox does not implement '${method} ${url.pathname}'.` } });
}

function startOperation(
  sandbox: ApimSandbox,
  kind: SandboxOperationKind,
  service: SandboxService,
  body: OperationBody,
  req: IncomingMessage,
  res: ServerResponse,
  record: (status: number) => void,
): void {
  const url = new URL(req.url ?? '/', origin(req));
  const header = (name: string) => [req.headers[name]].flat()[0];
  const started = sandbox.startOperation(kind, service, body, {
    url: url.href,
    clientRequestId: header('x-ms-client-request-id') ?? randomUUID(),
    correlationId: header('x-ms-correlation-request-id') ?? randomUUID(),
    clientIpAddress: req.socket.remoteAddress ?? '127.0.0.1',
    token: (header('authorization') ?? '').replace(/^Bearer /, ''),
    at: sandbox.options.clock.now(),
  });
  if ('error' in started) {
    record(started.status);
    return send(res, started.status, { error: started.error });
  }
  record(202);
  const apiVersion = url.searchParams.get('api-version') ?? '2024-05-01';
  send(res, 202, undefined, { ...acceptedHeaders(origin(req), service.id, started.operation, apiVersion), ...retryAfter(sandbox) });
}

function pageSize(sandbox: ApimSandbox): number {
  return sandbox.options.pageSize ?? 2;
}

function retryAfter(sandbox: ApimSandbox): Record<string, string> {
  return sandbox.options.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(sandbox.options.retryAfterSeconds) };
}

function origin(req: IncomingMessage): string {
  return `https://${req.headers.host ?? '127.0.0.1'}`;
}

function parseJson(text: string): OperationBody {
  try {
    return text ? (JSON.parse(text) as OperationBody) : {};
  } catch {
    return {};
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'x-ms-request-id': nextRequestId(),
    ...headers,
  });
  res.end(text);
}

let requestCounter = 0;
function nextRequestId(): string {
  requestCounter += 1;
  return `sandbox-${requestCounter}`;
}

export type { ArmFailure };
