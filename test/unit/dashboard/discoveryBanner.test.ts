import { describe, expect, it } from 'vitest';
import { discoveryLines } from '../../../src/cli/commands/statusDiscovery';
import { discoveryBanner, originLabel } from '../../../src/dashboard/discoveryBanner';
import type { DiscoveryStatus } from '../../../src/workflows/status/discoveryStatus';

const status: DiscoveryStatus = {
  tag: { name: 'apim-dr', value: 'protect' },
  scope: '3 subscription(s)',
  lastRefreshAt: '2026-03-01T02:05:00.000Z',
  lastSuccessAt: '2026-03-01T01:05:00.000Z',
  failure: { at: '2026-03-01T02:05:00.000Z', message: 'Resource Graph: 503 <ServiceUnavailable>', subscriptions: [] },
  found: 2,
  newlyFound: ['team-b'],
  noLongerTagged: [{ service: 'team-old', id: '/subscriptions/x/…/team-old', lostAt: '2026-03-01T01:05:00.000Z' }],
  skipped: [{ service: 'contoso', id: '/subscriptions/x/…/contoso', reason: "listed in 'services': the config's settings apply" }],
};

describe('discovery on the dashboard and in the CLI', () => {
  it('puts a failed refresh first, with the last good list it keeps, escaped', () => {
    const html = discoveryBanner(status);
    expect(html).toContain('<strong>Discovery failed 2026-03-01 02:05 UTC</strong>: the last good list (2026-03-01 01:05 UTC) stays protected');
    expect(html).toContain('&#60;ServiceUnavailable&#62;');
    expect(html).toContain('data-lost="team-old"');
    expect(html).toContain('Newly found by tag: team-b');
  });

  it('says nothing about discovery when it is off, and labels each instance when it is on', () => {
    expect(discoveryBanner(undefined)).toBe('');
    expect(originLabel({ origin: 'config' }, false)).toBe('');
    expect(originLabel({ origin: 'config' }, true)).toContain('data-origin="config"');
    expect(originLabel({ origin: 'tag', newlyFound: true }, true)).toContain('by tag (newly found)');
  });

  it('prints the last refresh, the failure, the newly found, the no longer tagged and the skipped', () => {
    expect(discoveryLines(status)).toEqual([
      'Discovery (tag apim-dr=protect in 3 subscription(s)): 2 instance(s) protected by tag; last refresh 2026-03-01T02:05:00.000Z, last complete 2026-03-01T01:05:00.000Z',
      'Discovery FAILED at 2026-03-01T02:05:00.000Z: Resource Graph: 503 <ServiceUnavailable>; the last good list stays protected',
      'Newly found by tag: team-b',
      'No longer tagged since 2026-03-01T01:05:00.000Z: team-old (not backed up; its backups are kept until retention, then swept as retired)',
      "Tagged contoso: listed in 'services': the config's settings apply",
    ]);
    expect(discoveryLines(undefined)).toEqual([]);
  });
});
