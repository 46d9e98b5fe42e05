/**
 * Runs the functions/ registrations without the Functions host: HTTP routes on a port, timers on their
 * NCRONTAB schedules, and orchestrations through the real durable-functions replay code.
 */
import { ensureError, UserError } from '../../src/errors';
import { HttpRequest, HttpResponse, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveBindingExpression } from '../../src/config/appSettings';
import { nextOccurrence } from '../../src/domain/schedule';
import type { Services } from '../../src/services';
import { fromFunctionsLevel, type Logger } from '../../src/telemetry/logger';
import { BadRequest } from './badRequest';
import { DurableEngine, type EngineHooks } from '../../src/inProcess/durableEngine';
import { DURABLE_PREFIX, durableClientData, handleDurableRequest, internalDurablePath } from './durableHttpApi';
import { checkHost, checkMediaType, edgeSettings, HttpRefusal, readLimitedBody, type EdgeSettings } from './edgeGuard';
import { authorizeDurableApi, checkEventGridKey, internalSecret } from './localAuth';
import { registrationOf, triggerOf, type Registration } from '../../src/inProcess/registration';
import { workflowRegistrations } from '../../src/inProcess/workflowRegistrations';
import { durableStarter } from '../../src/workflows/starter';
import { services as functionsServices, useServices } from '../../functions/services';
import { triggeredFunctions } from '../../functions/triggeredFunctions';
import * as df from 'durable-functions';
import { createInvocationContext } from '../../src/inProcess/invocationContext';
import { realHostClock, VirtualClock, type HostClock } from '../../src/inProcess/hostClock';
import { buildRoutes, matchRoute, ROUTE_PREFIX, type Route } from './httpRoutes';

export interface LocalHostOptions {
  services: Services;
  /** Port for HTTP; 0 picks a free one. */
  port?: number;
  host?: string;
  clock?: HostClock;
  /** Run timer triggers on their schedules (default true). */
  timers?: boolean;
  hooks?: EngineHooks;
  logger?: Logger;
  /** The registrations to serve instead of this repository's (the package test serves an extracted app's). */
  functions?: Map<string, Registration>;
}

/**
 * Every function functions/index.ts registers, as the worker would receive them: the workflows from the registry,
 * the HTTP routes, timers and Event Grid function from functions/' definitions. Activities and handlers get their
 * Services from functions/services.ts, as in Azure.
 */
export function loadFunctions(): Promise<Map<string, Registration>> {
  const functions = workflowRegistrations(functionsServices, (context) => durableStarter(df.getClient(context)));
  for (const { name, options } of triggeredFunctions)
    functions.set(
      name,
      registrationOf(name, options, (input, context) => options.handler(input, context as InvocationContext)),
    );
  return Promise.resolve(functions);
}

export const EVENT_GRID_WEBHOOK = '/runtime/webhooks/EventGrid';

export class LocalHost {
  private cancelTimers: (() => void)[] = [];
  private routes: Route[] = [];
  private server?: Server;
  origin = '';

  private constructor(
    readonly functions: Map<string, Registration>,
    readonly engine: DurableEngine,
    readonly clock: HostClock,
    private readonly options: LocalHostOptions,
    private readonly edge: EdgeSettings,
    private readonly secret: string,
  ) {}

  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const functions = options.functions ?? (await loadFunctions());
    useServices(() => options.services);
    const clock = options.clock ?? realHostClock;
    const logger = options.logger ?? options.services.logger;
    let origin = '';
    const edge = edgeSettings(options.services.settings);
    const secret = internalSecret();
    const engine = new DurableEngine(functions, clock, {
      log: (level, message, props) => logger.log(fromFunctionsLevel(level), message, props),
      durableClientData: () => durableClientData(origin, secret),
      ...options.hooks,
    });
    if (clock instanceof VirtualClock) clock.setIdleWaiter(() => engine.idle());
    const host = new LocalHost(functions, engine, clock, options, edge, secret);
    await host.listen(options.port ?? 7071, options.host ?? '127.0.0.1');
    origin = host.origin;
    if (options.timers !== false) host.startTimers();
    return host;
  }

  /** Names and trigger types of every registered function. */
  describe(): { name: string; trigger: string }[] {
    return [...this.functions.values()].map((r) => ({ name: r.metadata.name, trigger: triggerOf(r).type }));
  }

  async stop(): Promise<void> {
    this.cancelTimers.forEach((cancel) => cancel());
    for (const instance of this.engine.instances.values()) instance.cancels.forEach((cancel) => cancel());
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** Invokes a timer-triggered function now, as the Functions host's admin endpoint does. */
  async invokeTimer(name: string): Promise<unknown> {
    const registration = this.functions.get(name);
    if (!registration || triggerOf(registration).type !== 'timerTrigger') throw new Error(`no timer function named '${name}'`);
    return this.engine.track(Promise.resolve(registration.callback({ isPastDue: false, scheduleStatus: {} }, this.context(registration))));
  }

  private async listen(port: number, hostname: string): Promise<void> {
    this.routes = buildRoutes(this.functions.values());
    this.server = createServer((req, res) => {
      void this.engine.track(this.handle(req, res)).catch((err: unknown) => {
        if (res.headersSent) return;
        if (err instanceof HttpRefusal) {
          // A body that was not read to its end leaves the connection unusable for another request.
          if (err.status === 413) res.setHeader('Connection', 'close');
          json(res, err.status, { error: { code: err.code, message: err.message } });
        } else if (err instanceof UserError) json(res, err.status, { error: { code: err.code, message: err.message } });
        else if (err instanceof BadRequest) json(res, 400, { error: { code: 'BadRequest', message: err.message } });
        else json(res, 500, { error: { code: 'LocalHostError', message: ensureError(err).message } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, hostname, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.origin = `http://${hostname}:${address.port}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only the path and query of the request target count: an absolute-form target (`GET http://elsewhere/…`) must
    // not make the host build status URLs and Location headers that point at another host.
    const target = new URL(req.url ?? '/', this.origin);
    const url = new URL(`${target.pathname}${target.search}`, this.origin);
    const method = (req.method ?? 'GET').toUpperCase();
    checkHost(req.headers.host, this.edge);
    const eventGrid = url.pathname.toLowerCase() === EVENT_GRID_WEBHOOK.toLowerCase();
    if (eventGrid && method === 'OPTIONS') return cloudEventsHandshake(req, res);
    const headers = platformHeaders(req.headers, req.socket.remoteAddress);
    const settings = this.options.services.settings;
    // Who may call is settled from the headers alone, before a byte of the body is read.
    const internal = internalDurablePath(url.pathname, this.secret);
    if (internal === undefined && url.pathname.startsWith(DURABLE_PREFIX)) await authorizeDurableApi(headers, settings, method);
    if (eventGrid) checkEventGridKey(url, headers, settings);
    checkMediaType(req, method, eventGrid);
    const body = await readLimitedBody(req, this.edge.maxBodyBytes);
    if (internal !== undefined) return handleDurableRequest(this.engine, method, new URL(`${internal}${url.search}`, this.origin), body, res);
    if (url.pathname.startsWith(DURABLE_PREFIX)) return handleDurableRequest(this.engine, method, url, body, res);
    if (eventGrid && method === 'POST') return this.deliverEvents(url, body, res);
    if (!url.pathname.startsWith(ROUTE_PREFIX)) return json(res, 404, { error: { code: 'NotFound', message: `no route for ${url.pathname}` } });
    const matched = matchRoute(this.routes, method, url.pathname.slice(ROUTE_PREFIX.length - 1));
    if (!matched) return json(res, 404, { error: { code: 'NotFound', message: `no function serves ${method} ${url.pathname}` } });
    if ('allowed' in matched)
      return json(res, 405, { error: { code: 'MethodNotAllowed', message: `${method} is not allowed; use ${[...new Set(matched.allowed)].join(', ')}` } });

    const request = new HttpRequest({
      method,
      url: url.href,
      headers,
      query: Object.fromEntries(url.searchParams),
      params: matched.params,
      body: body ? { string: body } : undefined,
    });
    const result = (await matched.route.registration.callback(request, this.context(matched.route.registration))) as
      HttpResponseInit | HttpResponse | undefined;
    await writeResponse(res, result);
  }

  /** Event Grid's webhook for Functions: POST an array of events, with the function's name in the query. */
  private async deliverEvents(url: URL, body: string, res: ServerResponse): Promise<void> {
    const name = url.searchParams.get('functionName') ?? '';
    const registration = this.functions.get(name);
    if (!registration || triggerOf(registration).type !== 'eventGridTrigger') {
      return json(res, 404, { error: { code: 'FunctionNotFound', message: `no Event Grid function named '${name}'` } });
    }
    let events: unknown;
    try {
      events = JSON.parse(body);
    } catch {
      return json(res, 400, { error: { code: 'InvalidJson', message: 'the request body is not JSON' } });
    }
    const batch = Array.isArray(events) ? (events as unknown[]) : [events];
    // Event Grid proves a new subscription's endpoint with this event first; the extension answers it, not the function.
    const validation = subscriptionValidationCode(batch);
    if (validation !== undefined) return json(res, 200, { validationResponse: validation });
    // Event Grid delivers a batch; each event is one invocation, as in Azure.
    for (const event of batch) await registration.callback(event, this.context(registration));
    res.writeHead(202);
    res.end();
  }

  private context(registration: Registration): InvocationContext {
    const logger = this.options.logger ?? this.options.services.logger;
    return createInvocationContext(
      registration,
      `${registration.metadata.name}-${Date.now().toString(36)}`,
      (level, message, props) => logger.log(fromFunctionsLevel(level), message, props),
      () => durableClientData(this.origin, this.secret),
    );
  }

  private startTimers(): void {
    for (const registration of this.functions.values()) {
      const trigger = triggerOf(registration);
      if (trigger.type !== 'timerTrigger') continue;
      const schedule = resolveBindingExpression(String(trigger['schedule']), this.options.services.settings, `timer '${registration.metadata.name}'`);
      const arm = (after: Date) => {
        const at = nextOccurrence(schedule, after);
        this.cancelTimers.push(
          this.clock.schedule(at, () => {
            arm(at);
            void this.engine
              .track(
                Promise.resolve(
                  registration.callback(
                    { isPastDue: false, scheduleStatus: { last: after.toISOString(), next: at.toISOString() } },
                    this.context(registration),
                  ),
                ),
              )
              .catch((err: unknown) =>
                (this.options.logger ?? this.options.services.logger).log('error', `timer '${registration.metadata.name}' failed: ${ensureError(err).message}`),
              );
          }),
        );
      };
      arm(this.clock.now());
    }
  }
}

async function writeResponse(res: ServerResponse, result: HttpResponseInit | HttpResponse | undefined): Promise<void> {
  if (result instanceof HttpResponse) {
    const text = await result.text();
    const headers: Record<string, string> = {};
    result.headers.forEach((value, key) => (headers[key] = value));
    res.writeHead(result.status, headers);
    res.end(text);
    return;
  }
  const init = result ?? {};
  const headers = { ...(init.headers as Record<string, string> | undefined) };
  let body: string | Uint8Array = '';
  if (init.jsonBody !== undefined) {
    body = JSON.stringify(init.jsonBody);
    headers['Content-Type'] ??= 'application/json';
  } else if (typeof init.body === 'string' || init.body instanceof Uint8Array) body = init.body;
  res.writeHead(init.status ?? 200, headers);
  res.end(body);
}

/**
 * The request headers a function sees. Like App Service, the host strips the principal headers a caller sends
 * itself, except from loopback: there, tests and operators emulate a validated principal (with APIM_DR_HTTP_AUTH
 * entra-id and WEBSITE_AUTH_ENABLED true); from anywhere else they would be forgeries.
 */
export function platformHeaders(incoming: IncomingMessage['headers'], remoteAddress: string | undefined): Record<string, string> {
  const loopback = remoteAddress !== undefined && /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/.test(remoteAddress);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(incoming)) {
    if (typeof value !== 'string') continue;
    if (!loopback && key.toLowerCase().startsWith('x-ms-client-principal')) continue;
    headers[key] = value;
  }
  return headers;
}

/** The code of a `Microsoft.EventGrid.SubscriptionValidationEvent`, if the batch is that handshake. */
function subscriptionValidationCode(batch: unknown[]): string | undefined {
  const [first] = batch as { eventType?: unknown; data?: { validationCode?: unknown } }[];
  if (first?.eventType !== 'Microsoft.EventGrid.SubscriptionValidationEvent') return undefined;
  return typeof first.data?.validationCode === 'string' ? first.data.validationCode : undefined;
}

/** CloudEvents' abuse-protection handshake: an OPTIONS request names its origin, and the endpoint allows it. */
function cloudEventsHandshake(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers['webhook-request-origin'];
  if (typeof origin !== 'string' || !origin)
    return json(res, 400, { error: { code: 'BadRequest', message: 'a CloudEvents handshake names its WebHook-Request-Origin' } });
  res.writeHead(200, { 'WebHook-Allowed-Origin': origin, 'WebHook-Allowed-Rate': '*', Allow: 'POST, OPTIONS' });
  res.end();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
