/** The one reading of ARM's `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3). */

/** Milliseconds to wait from `nowMs` (the injected clock's time); undefined when the header is absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
