import { describe, expect, it } from 'vitest';
import { parseRecordName, planRecordRetirement } from '../../../src/domain/recordRetention';

const DAY = 86_400_000;
const now = new Date('2026-09-01T00:00:00Z');
const name = (target: string, daysAgo: number, id = '', folder = 'restores') => {
  const t = new Date(now.getTime() - daysAgo * DAY)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${folder}/${target}.${t}${id}.json`;
};

describe('retiring restore records', () => {
  it('reads the target and time of both record name forms', () => {
    expect(parseRecordName('restores/apim-neu.20260301T020000Z.json')).toEqual({ target: 'apim-neu', at: new Date('2026-03-01T02:00:00Z') });
    expect(parseRecordName('restores/apim-neu.20260301T020000Z.123abcd.json')).toEqual({ target: 'apim-neu', at: new Date('2026-03-01T02:00:00Z') });
    expect(parseRecordName('restores/notes.txt')).toBeUndefined();
  });

  it('keeps every record younger than the retention, and the newest few of each target however old', () => {
    // One sync every 6 hours for 120 days into one standby, and two old records of another.
    const neu = Array.from({ length: 480 }, (_, i) => name('apim-neu', i / 4, `.${String(i % 1000).padStart(3, '0')}abcd`));
    const dev = [name('apim-dev', 200), name('apim-dev', 150)];
    const retired = new Set(planRecordRetirement([...neu, ...dev], now, { minAgeMs: 90 * DAY, keep: 20 }));
    // Judged by its own arithmetic: a record goes only if it is at least 90 days old and not among its target's newest 20.
    for (const [i, n] of neu.entries()) expect(retired.has(n), n).toBe(i / 4 >= 90 && i >= 20);
    expect(dev.filter((n) => retired.has(n))).toEqual([]);
    expect(retired.size).toBe(480 - 360);
  });

  it("counts an instance's migration records apart from the restores into it", () => {
    // 25 old restores into apim-dev and 3 old migrations of it: the restores keep their newest 20, the migrations all 3.
    const restores = Array.from({ length: 25 }, (_, i) => name('apim-dev', 100 + i, '.000abcd'));
    const migrations = Array.from({ length: 3 }, (_, i) => name('apim-dev', 100 + i, '.000abcd', 'migrations'));
    const retired = planRecordRetirement([...restores, ...migrations], now, { minAgeMs: 90 * DAY, keep: 20 });
    expect(retired).toEqual(restores.slice(20).sort());
    expect(parseRecordName(migrations[0]!)).toMatchObject({ target: 'apim-dev' });
  });

  it('never retires a name it cannot read as a record', () => {
    expect(planRecordRetirement(['restores/backup-of-something-else.json', 'restores/x.y.json'], now, { minAgeMs: 0, keep: 0 })).toEqual([]);
  });
});
