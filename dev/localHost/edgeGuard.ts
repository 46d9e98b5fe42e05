/**
 * What the local host checks before any function sees a request: the Host header (DNS rebinding), the body's media
 * type on POST (cross-site `text/plain` forms), and the body's size, counted as it streams (never buffered whole).
 * Each refusal is an HttpRefusal: a status, a code and a message that names the header and the fix.
 */
import type { IncomingMessage } from 'node:http';
import { clip } from '../../src/validation';

export class HttpRefusal extends Error {
  override name = 'HttpRefusal';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** App settings that shape the local host's edge. */
export const LOCAL_HOSTNAMES_SETTING = 'APIM_DR_LOCAL_HOSTNAMES';
export const LOCAL_MAX_BODY_SETTING = 'APIM_DR_LOCAL_MAX_BODY_BYTES';
/** The Event Grid webhook's key when authentication is on (the Functions host's `eventgrid_extension` system key). */
export const EVENT_GRID_KEY_SETTING = 'APIM_DR_EVENT_GRID_KEY';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface EdgeSettings {
  /** Names besides loopback that the Host header may carry (lower case, without port). */
  hostnames: string[];
  maxBodyBytes: number;
}

export function edgeSettings(settings: NodeJS.ProcessEnv): EdgeSettings {
  const hostnames = (settings[LOCAL_HOSTNAMES_SETTING] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const raw = settings[LOCAL_MAX_BODY_SETTING];
  const maxBodyBytes = raw === undefined || raw === '' ? DEFAULT_MAX_BODY_BYTES : Number(raw);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`app setting ${LOCAL_MAX_BODY_SETTING} is '${clip(raw ?? '')}'; write a positive number of bytes, e.g. 1048576 (1 MB)`);
  }
  return { hostnames, maxBodyBytes };
}

const LOOPBACK_NAME = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;

/** The Host header must name loopback or a configured name: a page on another origin that rebinds its DNS name to 127.0.0.1 gets 421. */
export function checkHost(host: string | undefined, edge: EdgeSettings): void {
  if (!host) throw new HttpRefusal(400, 'HostRequired', 'the request has no Host header; HTTP/1.1 requires one');
  const name = host
    .trim()
    .toLowerCase()
    .replace(/:\d{1,5}$/, '');
  if (LOOPBACK_NAME.test(name) || edge.hostnames.includes(name)) return;
  throw new HttpRefusal(
    421,
    'MisdirectedRequest',
    `this host does not serve '${clip(name)}': call it as localhost or 127.0.0.1, or add the name to the app setting ${LOCAL_HOSTNAMES_SETTING}`,
  );
}

/**
 * A POST with a body must say it is JSON. Browsers send cross-site `text/plain`, form and multipart bodies without
 * asking first; they ask (preflight) before sending `application/json`, and this host answers no preflight.
 */
export function checkMediaType(req: IncomingMessage, method: string, allowCloudEvents: boolean): void {
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (!type && !hasBody) return;
  if (type === 'application/json' || (allowCloudEvents && /^application\/cloudevents(-batch)?\+json$/.test(type))) return;
  throw new HttpRefusal(415, 'UnsupportedMediaType', `send the body as JSON with 'Content-Type: application/json' (got '${clip(type || 'none')}')`);
}

/**
 * Reads the body up to `limit` bytes. A declared Content-Length over the limit is refused before a byte is read; a
 * body that streams past it is refused as soon as it does, and the rest is never kept.
 */
export function readLimitedBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        // Stop reading: the answer goes out at once, and the connection closes after it.
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function tooLarge(limit: number): HttpRefusal {
  return new HttpRefusal(
    413,
    'PayloadTooLarge',
    `the request body is over ${limit} bytes; apim-dr's requests are small JSON documents (limit: ${LOCAL_MAX_BODY_SETTING})`,
  );
}
