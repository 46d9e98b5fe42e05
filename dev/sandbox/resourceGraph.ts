/**
 * The sandbox's Azure Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources` for the queries apim-dr sends
 * (a table, `where` on type and on one tag, `project`, `order by`), over the sandbox's instances in any number of
 * subscriptions. Like Azure it pages (at most 1000 rows a page, `$skipToken` tied to the query and scope), throttles
 * (a quota per window, `x-ms-user-quota-*` headers, 429 with Retry-After), silently leaves out subscriptions the caller
 * cannot read, and refuses what it does not understand with 400 rather than guessing.
 */
import { createHash } from 'node:crypto';
import type { ApimSandbox } from './ApimSandbox';
import { toArmResource } from './model';

/** Azure's own limits: `$top` at most 1000; by default a user gets 15 queries per 5-second window. */
const TOP_MAX = 1000;

export class ResourceGraphSandbox {
  /** Azure may return fewer rows than `$top` (large rows); tests lower this to page small fleets. */
  pageSize = TOP_MAX;
  quota = { requests: 15, windowMs: 5_000 };
  /** Subscriptions the caller has no read access to: Resource Graph leaves them out without an error. */
  readonly unreadable = new Set<string>();
  /** Management group ID → the subscriptions under it. */
  readonly managementGroups = new Map<string, string[]>();
  private window = { start: Number.NEGATIVE_INFINITY, used: 0 };

  /** Takes one request from the quota; returns the headers Azure sends, and whether the request is throttled. */
  takeQuota(now: number): { throttled: boolean; headers: Record<string, string> } {
    if (now - this.window.start >= this.quota.windowMs || now < this.window.start) this.window = { start: now, used: 0 };
    const resetsInMs = this.window.start + this.quota.windowMs - now;
    const throttled = this.window.used >= this.quota.requests;
    if (!throttled) this.window.used += 1;
    const headers: Record<string, string> = {
      'x-ms-user-quota-remaining': String(Math.max(0, this.quota.requests - this.window.used)),
      'x-ms-user-quota-resets-after': hhmmss(resetsInMs),
    };
    if (throttled) headers['Retry-After'] = String(Math.max(1, Math.ceil(resetsInMs / 1000)));
    return { throttled, headers };
  }
}

export interface GraphAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** Tags an instance as a portal edit would (an empty object removes every tag). */
export function setTags(sandbox: ApimSandbox, name: string, tags: Record<string, string>): void {
  sandbox.service(name).spec.tags = { ...tags };
}

export function answerResourceGraph(sandbox: ApimSandbox, text: string): GraphAnswer {
  const graph = sandbox.graph;
  const { throttled, headers } = graph.takeQuota(sandbox.options.clock.now().getTime());
  if (throttled) {
    return error(429, 'RateLimiting', 'Please provide below info when asking for support: the request was throttled; retry after the quota resets.', headers);
  }
  let body: GraphRequest;
  try {
    body = JSON.parse(text) as GraphRequest;
  } catch {
    return error(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.', headers);
  }
  if (typeof body.query !== 'string' || !body.query.trim()) return error(400, 'BadRequest', "The 'query' property is required.", headers);
  const options = body.options ?? {};
  const top = options.$top ?? TOP_MAX;
  if (!Number.isInteger(top) || top < 1 || top > TOP_MAX)
    return error(400, 'BadRequest', `$top must be between 1 and ${TOP_MAX}, got ${String(top)}.`, headers);
  if (options.resultFormat !== undefined && options.resultFormat !== 'objectArray' && options.resultFormat !== 'table') {
    return error(400, 'BadRequest', `Unsupported resultFormat '${String(options.resultFormat)}'.`, headers);
  }
  const scope = scopeOf(graph, body);
  if ('problem' in scope) return error(400, 'BadRequest', scope.problem, headers);

  const parsed = parseQuery(body.query);
  if ('problem' in parsed)
    return error(
      400,
      'BadRequest',
      'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
      headers,
      parsed.problem,
    );
  const rows = evaluate(sandbox, parsed, scope.subscriptions);

  const fingerprint = hash(`${body.query}\n${scope.subscriptions.join(',')}`);
  let offset = options.$skip ?? 0;
  if (options.$skipToken !== undefined) {
    const token = readToken(options.$skipToken);
    if (!token || token.fingerprint !== fingerprint) {
      return error(400, 'BadRequest', 'The $skipToken does not belong to this query and scope; send the same query and scope it came with.', headers);
    }
    offset = token.offset;
  }
  const size = Math.min(top, graph.pageSize);
  const page = rows.slice(offset, offset + size);
  const more = offset + page.length < rows.length;
  // Paging is impossible when every output column is dynamic: Azure then truncates instead of offering a token.
  const pageable = parsed.columns.some((c) => !DYNAMIC_COLUMNS.has(c.source.split('.')[0]!));
  const data =
    options.resultFormat === 'table'
      ? {
          columns: parsed.columns.map((c) => ({ name: c.name, type: DYNAMIC_COLUMNS.has(c.source.split('.')[0]!) ? 'object' : 'string' })),
          rows: page.map((r) => parsed.columns.map((c) => r[c.name])),
        }
      : page;
  return {
    status: 200,
    headers,
    body: {
      totalRecords: rows.length,
      count: page.length,
      resultTruncated: more && !pageable ? 'true' : 'false',
      ...(more && pageable ? { $skipToken: writeToken({ offset: offset + page.length, fingerprint }) } : {}),
      data,
      facets: [],
    },
  };
}

interface GraphRequest {
  subscriptions?: unknown;
  managementGroups?: unknown;
  query?: unknown;
  options?: { $top?: number; $skip?: number; $skipToken?: string; resultFormat?: string };
}

function scopeOf(graph: ResourceGraphSandbox, body: GraphRequest): { subscriptions: string[] } | { problem: string } {
  const subs = body.subscriptions;
  const groups = body.managementGroups;
  if (Array.isArray(subs) && subs.length) {
    if (!subs.every((s) => typeof s === 'string' && /^[0-9a-f-]{36}$/i.test(s))) return { problem: 'Every subscription must be a subscription ID.' };
    return { subscriptions: (subs as string[]).map((s) => s.toLowerCase()).filter((s) => !graph.unreadable.has(s)) };
  }
  if (Array.isArray(groups) && groups.length) {
    const found = (groups as unknown[]).flatMap((g) => (typeof g === 'string' ? (graph.managementGroups.get(g) ?? []) : []));
    return { subscriptions: found.map((s) => s.toLowerCase()).filter((s) => !graph.unreadable.has(s)) };
  }
  // The sandbox has no tenant-wide scope: apim-dr always names its subscriptions or its management group.
  return { problem: "Name the 'subscriptions' or 'managementGroups' to query." };
}

interface Column {
  name: string;
  /** A dotted path into the row, e.g. `sku.name`. */
  source: string;
}

interface ParsedQuery {
  table: 'resources' | 'resourcecontainers';
  filters: ((row: Record<string, unknown>) => boolean)[];
  columns: Column[];
  order?: { column: string; descending: boolean };
}

const DYNAMIC_COLUMNS = new Set(['tags', 'properties', 'sku', 'identity', 'zones']);
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const STRING = /^'([^'\\]*)'$/;

function parseQuery(query: string): ParsedQuery | { problem: string } {
  const [head, ...stages] = query.split('|').map((part) => part.trim());
  const table = head?.toLowerCase();
  if (table !== 'resources' && table !== 'resourcecontainers')
    return { problem: `Table '${head}' is not one the sandbox serves (resources, resourcecontainers).` };
  const parsed: ParsedQuery = { table, filters: [], columns: [] };
  for (const stage of stages) {
    let m: RegExpExecArray | null;
    if ((m = /^where\s+(\w+)\s*(=~|==)\s*(.+)$/i.exec(stage))) {
      const [, column, op, literal] = m as unknown as [string, string, string, string];
      const value = STRING.exec(literal.trim())?.[1];
      if (value === undefined) return { problem: `Expected a string literal in '${stage}'.` };
      parsed.filters.push((row) => compare(row[column], op, value));
    } else if ((m = /^where\s+tags\[('[^'\\]*')\]\s*(=~|==)\s*('[^'\\]*')$/i.exec(stage))) {
      const [, name, op, literal] = m as unknown as [string, string, string, string];
      const tag = STRING.exec(name)![1]!;
      const value = STRING.exec(literal)![1]!;
      // Like KQL's property access on a dynamic bag, the tag name must match exactly.
      parsed.filters.push((row) => compare((row.tags as Record<string, unknown> | undefined)?.[tag], op, value));
    } else if ((m = /^project\s+(.+)$/i.exec(stage))) {
      for (const part of m[1]!.split(',').map((p) => p.trim())) {
        const alias = /^(\w+)\s*=\s*(?:tostring\(([\w.]+)\)|([\w.]+))$/i.exec(part);
        if (alias) parsed.columns.push({ name: alias[1]!, source: alias[2] ?? alias[3]! });
        else if (COLUMN.test(part)) parsed.columns.push({ name: part, source: part });
        else return { problem: `Cannot project '${part}'.` };
      }
    } else if ((m = /^order\s+by\s+(\w+)(?:\s+(asc|desc))?$/i.exec(stage))) {
      parsed.order = { column: m[1]!, descending: m[2]?.toLowerCase() !== 'asc' };
    } else {
      return { problem: `The sandbox does not understand '${stage}'.` };
    }
  }
  return parsed;
}

function compare(actual: unknown, op: string, value: string): boolean {
  if (typeof actual !== 'string') return false;
  return op === '==' ? actual === value : actual.toLowerCase() === value.toLowerCase();
}

function evaluate(sandbox: ApimSandbox, query: ParsedQuery, subscriptions: string[]): Record<string, unknown>[] {
  const visible = new Set(subscriptions);
  const source: Record<string, unknown>[] =
    query.table === 'resourcecontainers'
      ? subscriptions.map((s) => ({ id: `/subscriptions/${s}`, type: 'microsoft.resources/subscriptions', subscriptionId: s, name: s }))
      : sandbox
          .listServices()
          .filter((s) => visible.has(s.spec.subscriptionId.toLowerCase()))
          .map((s) => ({
            ...toArmResource(s),
            type: 'microsoft.apimanagement/service',
            subscriptionId: s.spec.subscriptionId.toLowerCase(),
            resourceGroup: s.spec.resourceGroup.toLowerCase(),
            tags: { ...(s.spec.tags ?? {}) },
          }));
  let rows = source.filter((row) => query.filters.every((f) => f(row)));
  if (query.order) {
    const { column, descending } = query.order;
    rows = [...rows].sort((a, b) => String(a[column]).localeCompare(String(b[column])) * (descending ? -1 : 1));
  }
  if (!query.columns.length) return rows;
  return rows.map((row) => Object.fromEntries(query.columns.map((c) => [c.name, pick(row, c.source)])));
}

function pick(row: Record<string, unknown>, path: string): unknown {
  let value: unknown = row;
  for (const key of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value ?? null;
}

function writeToken(token: { offset: number; fingerprint: string }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function readToken(text: string): { offset: number; fingerprint: string } | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { offset?: unknown; fingerprint?: unknown };
    return typeof token.offset === 'number' && typeof token.fingerprint === 'string' ? { offset: token.offset, fingerprint: token.fingerprint } : undefined;
  } catch {
    return undefined;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

function error(status: number, code: string, message: string, headers: Record<string, string>, detail?: string): GraphAnswer {
  return {
    status,
    headers,
    body: { error: { code, message, ...(detail ? { details: [{ code: 'InvalidQuery', message: detail }] } : {}) } },
  };
}
