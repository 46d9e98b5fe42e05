/**
 * Raw ARM requests on an instance's configuration resources, through the ARM SDK client's own pipeline (credential,
 * extra CA, retries): lists follow `nextLink`, a 429 is waited out per its `Retry-After`, long-running PUTs are
 * followed to their end. The SDK's typed methods are not used here: one generic path per resource type is what
 * a snapshot needs, and `apiPolicy.get` cannot read JSON policies (Azure/azure-sdk-for-js#31566).
 */
import type { ApiManagementClient } from '@azure/arm-apimanagement';
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import type { ServiceRef } from '../../domain/resourceId';
import { AzureError } from '../../errors';
import { restPipeline } from '../lazySdk';

export const CONFIG_API_VERSION = '2024-05-01';

/** How often a list under a workspace is asked again after a 500 (1 + 2 + 4 + 8 s apart at most). */
const NEW_WORKSPACE_RETRIES = 4;

export interface ArmItem {
  id?: string;
  name: string;
  properties?: Record<string, unknown>;
}

export interface ArmAnswer {
  status: number;
  body: unknown;
  etag?: string;
}

export class ArmConfigError extends AzureError {
  constructor(
    readonly path: string,
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(`ARM ${path}: ${status} ${code}: ${message}`, code, status);
  }
}

/** Bounds the requests in flight, so a large instance is read within ARM's budget. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

export interface ArmConfigClientOptions {
  concurrency?: number;
  /** How many times a throttled (429) request is tried again after its Retry-After. */
  throttleRetries?: number;
  /** The longest Retry-After honoured, in ms. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class ArmConfigClient {
  readonly requests = { count: 0, throttled: 0 };
  private readonly gate: Semaphore;

  constructor(
    private readonly client: ApiManagementClient,
    private readonly endpoint: string,
    readonly service: ServiceRef,
    private readonly options: ArmConfigClientOptions = {},
  ) {
    this.gate = new Semaphore(options.concurrency ?? 8);
  }

  /** Every item of a collection (`apis`, `apis/orders/operations`), following nextLink. */
  async list(collection: string): Promise<ArmItem[]> {
    const items: ArmItem[] = [];
    let url: string | undefined = this.url(collection);
    for (let failed = 0; url;) {
      const answer = await this.send('GET', url);
      // A workspace just created answers 500 on its lists for a while (facts §5): wait and ask again.
      if (answer.status === 500 && /^workspaces\//i.test(collection) && failed < NEW_WORKSPACE_RETRIES) {
        await (this.options.sleep ?? sleep)(1000 * 2 ** failed++);
        continue;
      }
      if (answer.status !== 200) throw this.error(collection, answer);
      const page = answer.body as { value?: ArmItem[]; nextLink?: string };
      items.push(...(page.value ?? []));
      url = page.nextLink ? this.checkedNextLink(page.nextLink) : undefined;
    }
    return items;
  }

  /** How many items a collection holds: one page of one, whose `count` spans all pages; the whole list if ARM omits it. */
  async count(collection: string): Promise<number> {
    const answer = await this.send('GET', this.url(collection, { $top: '1' }));
    if (answer.status !== 200) throw this.error(collection, answer);
    const count = (answer.body as { count?: unknown } | undefined)?.count;
    return typeof count === 'number' ? count : (await this.list(collection)).length;
  }

  /** One resource, or undefined when it does not exist. */
  async get(path: string, query: Record<string, string> = {}): Promise<{ item: ArmItem; etag?: string } | undefined> {
    const answer = await this.send('GET', this.url(path, query));
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.error(path, answer);
    return { item: answer.body as ArmItem, etag: answer.etag };
  }

  /** Whether a resource exists (HEAD): links such as `products/{p}/apis/{a}` have no GET. */
  async exists(path: string): Promise<boolean> {
    const answer = await this.send('HEAD', this.url(path));
    if (answer.status === 404) return false;
    if (answer.status !== 200 && answer.status !== 204) throw this.error(path, answer);
    return true;
  }

  /** Creates or replaces; waits for a long-running PUT to finish. */
  async put(path: string, body: unknown): Promise<void> {
    const answer = await this.send('PUT', this.url(path), body);
    if (answer.status === 202) return this.waitFor(path, answer);
    if (answer.status !== 200 && answer.status !== 201 && answer.status !== 204) throw this.error(path, answer);
  }

  async delete(path: string): Promise<void> {
    const answer = await this.send('DELETE', this.url(path), undefined, { 'If-Match': '*' });
    if (answer.status !== 200 && answer.status !== 204 && answer.status !== 404) throw this.error(path, answer);
  }

  private async waitFor(path: string, accepted: ArmAnswer & { location?: string }): Promise<void> {
    let location = accepted.location;
    for (let attempt = 0; location && attempt < 60; attempt++) {
      const answer = await this.send('GET', this.checkedNextLink(location));
      if (answer.status === 200 || answer.status === 201 || answer.status === 204) return;
      if (answer.status !== 202) throw this.error(path, answer);
      location = answer.location ?? location;
      await (this.options.sleep ?? sleep)(Math.min(answer.retryAfterMs ?? 1000, 10_000));
    }
    if (location) throw new ArmConfigError(path, 202, 'OperationTimedOut', 'the long-running PUT did not finish');
  }

  private url(path: string, query: Record<string, string> = {}): string {
    const url = new URL(`${this.endpoint}${this.service.id}/${path}`);
    url.searchParams.set('api-version', CONFIG_API_VERSION);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return url.href;
  }

  /** A nextLink or Location may only lead back to this ARM host, under this instance. */
  private checkedNextLink(link: string): string {
    const url = new URL(link);
    const base = new URL(this.endpoint);
    if (url.origin !== base.origin || !url.pathname.toLowerCase().startsWith(this.service.id.toLowerCase())) {
      throw new AzureError(`ARM answered a link outside '${this.service.id}' (${url.origin}${url.pathname}); refusing to follow it`, 'UnexpectedLink');
    }
    return url.href;
  }

  private async send(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ArmAnswer & { location?: string; retryAfterMs?: number }> {
    const retries = this.options.throttleRetries ?? 6;
    for (let attempt = 0; ; attempt++) {
      const response = await this.gate.run(() => {
        this.requests.count += 1;
        const request = restPipeline().createPipelineRequest({
          url,
          method: method as 'GET',
          headers: restPipeline().createHttpHeaders({ 'Content-Type': 'application/json', ...headers }),
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return this.client.sendRequest(request);
      });
      const answer = toAnswer(response);
      if (response.status !== 429 || attempt >= retries) return answer;
      this.requests.throttled += 1;
      await (this.options.sleep ?? sleep)(Math.min(answer.retryAfterMs ?? 1000 * 2 ** attempt, this.options.maxRetryAfterMs ?? 30_000));
    }
  }

  private error(path: string, answer: ArmAnswer): ArmConfigError {
    const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return new ArmConfigError(path, answer.status, error?.code ?? 'Unknown', error?.message ?? `HTTP ${answer.status}`);
  }
}

function toAnswer(response: PipelineResponse): ArmAnswer & { location?: string; retryAfterMs?: number } {
  const text = response.bodyAsText ?? '';
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    status: response.status,
    body,
    etag: response.headers.get('etag'),
    location: response.headers.get('location') ?? response.headers.get('azure-asyncoperation'),
    retryAfterMs: Number.isFinite(retryAfter) && response.headers.get('retry-after') !== undefined ? retryAfter * 1000 : undefined,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
