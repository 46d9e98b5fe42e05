/**
 * Attack 5 of issue 25, the markup half: every field of the dashboard that comes from a record, a manifest, the
 * config or ARM is shown as text, and every time is parsed before it is shown. A view full of injected markup
 * renders only the dashboard's own tags, with no event-handler attribute and no link.
 */
import { describe, expect, it } from 'vitest';
import { renderDashboard } from '../../../src/dashboard/renderDashboard';
import type { DashboardView } from '../../../src/workflows/status/dashboardView';

const LINK = '<a href="https://evil.example/login">sign in again</a>';
const BREAKOUT = '"><script>alert(1)</script>';
const ATTRIBUTE = 'x" onmouseover="alert(1)';
const NOW = '2026-03-10T12:00:00.000Z';

/** Every string a stored record or manifest can put in the view, each a payload. */
function hostileView(): DashboardView {
  return {
    at: NOW,
    summary: { protected: 0, 'at-risk': 0, unprotected: 1 },
    onStv1: 0,
    armUnreachable: [{ subscriptionId: BREAKOUT, since: BREAKOUT, message: LINK }],
    timelineStart: '2026-02-03T12:00:00.000Z',
    restoreWindowStart: '2026-02-08T12:00:00.000Z',
    instances: [
      {
        service: BREAKOUT,
        id: `/subscriptions/${ATTRIBUTE}/resourceGroups/${LINK}/providers/Microsoft.ApiManagement/service/x`,
        protection: 'unprotected',
        reasons: [LINK],
        rpoMs: 86_400_000,
        lastFailure: { backupName: LINK, createdAt: BREAKOUT, code: ATTRIBUTE, message: LINK },
        running: { phase: BREAKOUT },
        platform: ATTRIBUTE,
        scheduleWarning: LINK,
        migration: {
          kind: 'side-by-side',
          state: ATTRIBUTE,
          target: LINK,
          mode: BREAKOUT,
          requestedAt: BREAKOUT,
          completedAt: ATTRIBUTE,
          error: LINK,
        } as never,
        lastDrill: { target: ATTRIBUTE, state: BREAKOUT as never, requestedAt: LINK, error: LINK },
        standbys: [
          {
            service: ATTRIBUTE,
            sync: LINK,
            state: BREAKOUT as never,
            lastRestore: { state: LINK, requestedBy: BREAKOUT, completedAt: ATTRIBUTE } as never,
          },
        ],
        timeline: [
          { day: BREAKOUT, succeeded: 1, expired: 0, failed: 1, running: 0 },
          { day: ATTRIBUTE, succeeded: 0, expired: 2, failed: 0, running: 1 },
        ],
      },
    ],
  };
}

/** The tags the dashboard itself writes: anything else in the page came from the data. */
const OWN_TAGS = new Set(
  'html head meta title style body header h1 p time ul li strong span code main details summary table thead tbody tr th td small svg rect br div'.split(' '),
);

describe('the dashboard renders stored values as text', () => {
  const html = renderDashboard(hostileView());

  it('writes no tag of its data: no script, no link', () => {
    const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].filter((t) => !OWN_TAGS.has(t))).toEqual([]);
    expect(html).not.toMatch(/<script|<a[\s>]/i);
  });

  it('lets no value out of its attribute', () => {
    expect(html).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
    expect(html).toContain('data-platform="x&#34; onmouseover=&#34;alert(1)"');
  });

  it('shows the injected text, escaped, where a person reads it', () => {
    expect(html).toContain('&#60;a href=&#34;https://evil.example/login&#34;&#62;sign in again&#60;/a&#62;');
    expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('parses every time before showing it: a time that is not one reads "unknown time"', () => {
    expect(html).toContain('ARM unreachable since unknown time');
    expect(html).toContain('Last failure at an unknown time');
    expect(html).toContain(`<time datetime="${NOW}">2026-03-10 12:00 UTC</time>`);
    expect(html).not.toMatch(/NaN/);
  });
});
