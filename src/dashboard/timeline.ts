/**
 * An instance's timeline: an SVG with a column per UTC day from the timeline's start to today, each a stack of its
 * backups' outcomes, the restorable window shaded. Failures sit on top of the column with a height of their own, so
 * that one failure among a day's successes is always seen, never drawn under them. Pure.
 */
import { count, dateOf, esc, utc } from './html';
import type { DashboardView, TimelineDay, TimelineState } from '../workflows/status/dashboardView';

type Instance = DashboardView['instances'][number];

const DAY_MS = 86_400_000;
/** In the order the counts are read out. */
export const TIMELINE_STATES: readonly TimelineState[] = ['succeeded', 'failed', 'expired', 'running'];
/** Bottom to top of a column: what went right below, what needs a look above. */
const STACK: readonly TimelineState[] = ['expired', 'succeeded', 'running', 'failed'];

/** Geometry, in SVG user units. */
const WIDTH = 300;
const HEIGHT = 22;
const TOP = 2;
const BOTTOM = HEIGHT - 2;
/** A state present on a day is never thinner than this, whatever its share of the day. */
const MIN_SEGMENT = 4;

const dayStart = (day: string) => dateOf(`${day}T00:00:00Z`);

export function timeline(instance: Instance, view: DashboardView): string {
  const first = dayStart(view.timelineStart.slice(0, 10)) ?? dateOf(view.timelineStart) ?? 0;
  const last = dayStart(view.at.slice(0, 10)) ?? first;
  const columns = Math.max(1, Math.round((last - first) / DAY_MS) + 1);
  const width = WIDTH / columns;
  // A time that does not parse sits at the left edge rather than producing NaN coordinates.
  const x = (ms: number | undefined) => Math.min(WIDTH, Math.max(0, (((ms ?? first) - first) / DAY_MS) * width));
  const restorable = x(dateOf(view.restoreWindowStart));
  const window = `<rect class="window" x="${restorable.toFixed(1)}" y="0" width="${(WIDTH - restorable).toFixed(1)}" height="${HEIGHT}"><title>restorable: created after ${utc(view.restoreWindowStart)}</title></rect>`;
  const busiest = Math.max(1, ...instance.timeline.map(total));
  const bars = [...instance.timeline]
    .reverse()
    .map((d) => {
      const start = dayStart(d.day);
      return start === undefined ? '' : column(d, x(start) + width * 0.1, width * 0.8, busiest);
    })
    .join('');
  const counts = TIMELINE_STATES.map((state) => [state, instance.timeline.reduce((n, d) => n + d[state], 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${count(n)} ${state}`);
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="Backups per day since ${utc(view.timelineStart)}: ${counts.join(', ') || 'none'}">
<rect class="track" x="0" y="0" width="${WIDTH}" height="${HEIGHT}"/>${window}${bars}</svg>
<div class="counts">${counts.join(' · ') || 'no backups'}</div>`;
}

function total(d: TimelineDay): number {
  return d.succeeded + d.expired + d.failed + d.running;
}

/** One day's stack, as tall as its share of the busiest day; in the page failures first, drawn at the top. */
function column(d: TimelineDay, left: number, width: number, busiest: number): string {
  const present = STACK.filter((state) => d[state] > 0);
  const room = BOTTOM - TOP;
  const height = Math.min(room, Math.max(present.length * MIN_SEGMENT, (room * total(d)) / busiest));
  // Each present state gets its minimum, and the rest of the column in proportion to its count.
  const spare = height - present.length * MIN_SEGMENT;
  let y = BOTTOM;
  const segments = present.map((state) => {
    const h = MIN_SEGMENT + (spare * d[state]) / total(d);
    y -= h;
    return `<rect class="mark ${state}" data-state="${state}" data-day="${esc(d.day)}" x="${left.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(d.day)}: ${count(d[state])} ${state}</title></rect>`;
  });
  return segments.reverse().join('');
}
