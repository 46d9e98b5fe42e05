/** `GET /api/dashboard`: the status as one self-contained page, compressed, with an ETag so an unchanged page costs nothing. */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { HttpResponseInit } from '@azure/functions';
import { renderDashboard } from '../dashboard/renderDashboard';
import type { Services } from '../services';
import type { OrchestrationStarter } from '../workflows/starter';
import { dashboardView } from '../workflows/status/dashboardView';

/** The page has no script and loads nothing: the policy says so to the browser. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

interface RequestHeaders {
  headers: { get(name: string): string | null };
}

export async function getDashboard(services: Services, starter: OrchestrationStarter, request: RequestHeaders): Promise<HttpResponseInit> {
  const html = renderDashboard(await dashboardView(services, starter));
  const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"`;
  const headers: Record<string, string> = {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    // Private (it shows the fleet) and revalidated every time: a wall screen that reloads gets a 304 while nothing changed.
    'Cache-Control': 'private, no-cache',
    ETag: etag,
    Vary: 'Accept-Encoding',
  };
  if (matchesEtag(request.headers.get('if-none-match'), etag)) return { status: 304, headers };
  if (!acceptsGzip(request.headers.get('accept-encoding'))) return { status: 200, headers, body: html };
  return { status: 200, headers: { ...headers, 'Content-Encoding': 'gzip' }, body: gzipSync(html) };
}

function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** `gzip` listed in Accept-Encoding with a quality above zero (RFC 9110 §12.5.3). */
function acceptsGzip(acceptEncoding: string | null): boolean {
  return (acceptEncoding ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === 'x-gzip') && (q === undefined || Number(q.slice(2)) > 0);
  });
}
