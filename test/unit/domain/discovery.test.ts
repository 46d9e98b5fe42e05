import { describe, expect, it } from 'vitest';
import { EMPTY_DISCOVERY, isRefreshDue, mergeRefresh, parseGraphRow, settingsFromTags, type DiscoveredInstance } from '../../../src/domain/discovery';

const SUB = '00000000-0000-0000-0000-000000000001';
const OTHER = '00000000-0000-0000-0000-000000000002';
const idOf = (name: string, sub = SUB) => `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${name}`;
const instance = (name: string, sub = SUB, foundAt = '2026-03-01T00:00:00.000Z'): DiscoveredInstance => ({
  id: idOf(name, sub),
  name,
  subscriptionId: sub,
  location: 'westeurope',
  sku: 'Premium',
  tags: {},
  foundAt,
});
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

describe('tag settings', () => {
  it('reads the RPO and the standby from tags, whatever the tag name case', () => {
    const standby = idOf('apim-neu');
    expect(settingsFromTags({ id: idOf('apim-weu'), tags: { 'APIM-DR-RPO': 'PT4H', 'apim-dr-standby': standby } }, 'apim-dr')).toEqual({
      rpoMs: 4 * HOUR,
      standbyId: standby,
      findings: [],
    });
  });

  it('reports each bad value with the tag, the value and the fix', () => {
    const settings = settingsFromTags(
      { id: idOf('apim-weu'), tags: { 'apim-dr-rpo': 'PT0S', 'apim-dr-standby': idOf('apim-weu'), 'apim-dr-schedule': 'daily', 'apim-dr': 'protect' } },
      'apim-dr',
    );
    expect(settings.rpoMs).toBeUndefined();
    expect(settings.standbyId).toBeUndefined();
    expect(settings.findings).toEqual([
      "tag apim-dr-rpo: 'PT0S' is not a positive ISO 8601 duration; write e.g. 'PT4H' (the defaults' RPO applies meanwhile)",
      'tag apim-dr-standby: names the instance itself; a standby is another instance of the same tier in another region',
      'tag apim-dr-schedule: apim-dr knows no such tag; use apim-dr-rpo or apim-dr-standby, or rename it',
    ]);
  });

  it('cuts a huge tag value in its finding', () => {
    const [finding] = settingsFromTags({ id: idOf('a'), tags: { 'apim-dr-standby': 'x'.repeat(256) } }, 'apim-dr').findings;
    expect(finding).toContain('… (256 characters)');
    expect(finding).not.toContain('x'.repeat(101));
  });
});

describe('Resource Graph rows', () => {
  it('reads the projected columns', () => {
    const row = {
      id: idOf('apim-weu').toUpperCase(),
      name: 'x',
      location: 'westeurope',
      sku: 'Premium',
      platform: 'stv2.1',
      tags: { 'apim-dr': 'protect', n: 1 },
    };
    expect(parseGraphRow(row, '2026-03-01T00:00:00.000Z')).toMatchObject({
      name: 'APIM-WEU',
      subscriptionId: SUB,
      sku: 'Premium',
      platform: 'stv2.1',
      tags: { 'apim-dr': 'protect' },
    });
  });

  it('refuses a row that is not an APIM instance', () => {
    expect(parseGraphRow({ id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/app' }, '')).toContain('not an APIM resource ID');
    expect(parseGraphRow(null, '')).toBe('a row that is not an object');
  });
});

describe('merging a refresh', () => {
  const previous = { ...EMPTY_DISCOVERY, instances: [instance('kept'), instance('dropped'), instance('unseen', OTHER)] };
  const now = at('2026-03-01T01:00:00.000Z');

  it('marks the new, keeps the first-found time of the known, and loses the ones no longer found', () => {
    const merged = mergeRefresh(previous, [instance('kept', SUB, 'later'), instance('fresh', SUB, 'x'), instance('unseen', OTHER)], [], now, 30 * 24 * HOUR);
    expect(merged.instances.map((i) => [i.name, i.foundAt])).toEqual([
      ['fresh', now.toISOString()],
      ['kept', '2026-03-01T00:00:00.000Z'],
      ['unseen', '2026-03-01T00:00:00.000Z'],
    ]);
    expect(merged.newlyFound.map((i) => i.name)).toEqual(['fresh']);
    expect(merged.newlyLost).toEqual([{ id: idOf('dropped'), name: 'dropped', lostAt: now.toISOString() }]);
  });

  it('never loses the instances of a subscription it could not read', () => {
    const merged = mergeRefresh(previous, [instance('kept')], [OTHER.toUpperCase()], now, 30 * 24 * HOUR);
    expect(merged.instances.map((i) => i.name)).toEqual(['kept', 'unseen']);
    expect(merged.newlyLost.map((l) => l.name)).toEqual(['dropped']);
  });

  it('forgets a lost instance after the keep period, and at once when it is found again', () => {
    const withLost = {
      ...EMPTY_DISCOVERY,
      lost: [
        { id: idOf('old'), name: 'old', lostAt: '2026-01-01T00:00:00.000Z' },
        { id: idOf('back'), name: 'back', lostAt: '2026-02-28T00:00:00.000Z' },
        { id: idOf('recent'), name: 'recent', lostAt: '2026-02-28T00:00:00.000Z' },
      ],
    };
    const merged = mergeRefresh(withLost, [instance('back')], [], now, 37 * 24 * HOUR);
    expect(merged.lost.map((l) => l.name)).toEqual(['recent']);
  });
});

describe('refresh schedule', () => {
  const state = { ...EMPTY_DISCOVERY, lastAttemptAt: '2026-03-01T00:05:00.000Z' };
  it('refreshes when never run, then on the interval', () => {
    expect(isRefreshDue(EMPTY_DISCOVERY, at('2026-03-01T00:00:00Z'), HOUR, 300_000)).toBe(true);
    expect(isRefreshDue(state, at('2026-03-01T01:00:00Z'), HOUR, 300_000)).toBe(false);
    expect(isRefreshDue(state, at('2026-03-01T01:05:00Z'), HOUR, 300_000)).toBe(true);
  });

  it('tries again sooner after a failure', () => {
    const failed = { ...state, failure: { at: state.lastAttemptAt, message: 'down', subscriptions: [] } };
    expect(isRefreshDue(failed, at('2026-03-01T00:10:00Z'), HOUR, 300_000)).toBe(true);
  });
});
