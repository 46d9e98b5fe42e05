/** What every part of the dashboard shows a stored value through: escaped, and times parsed as dates first. */

/** A stored time, parsed: undefined when it is not one (a record may say anything). */
export function dateOf(iso: string | undefined): number | undefined {
  const ms = Date.parse(iso ?? '');
  return Number.isNaN(ms) ? undefined : ms;
}

/** '2026-03-01 02:00 UTC', rebuilt from the parsed date, never the stored text. */
export function utc(iso: string | undefined): string {
  const ms = dateOf(iso);
  return ms === undefined ? 'unknown time' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function day(iso: string | undefined): string {
  const ms = dateOf(iso);
  return ms === undefined ? 'unknown' : new Date(ms).toISOString().slice(0, 10);
}

/** For a `datetime` attribute: the parsed date in ISO form, or nothing. */
export function isoTime(iso: string | undefined): string {
  const ms = dateOf(iso);
  return ms === undefined ? '' : new Date(ms).toISOString();
}

/** A count from the view, shown as a number whatever it holds. */
export function count(n: unknown): string {
  return Number.isFinite(n) ? String(n) : '?';
}

/** Escapes text for HTML content and quoted attribute values alike. */
export function esc(text: string | number | undefined): string {
  return String(text ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}
