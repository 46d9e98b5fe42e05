import { describe, expect, it } from 'vitest';
import { DIGEST_NEWEST, digestEntries, mergeDigest, type DigestEntry } from '../../../src/domain/catalogDigest';
import { newestRestorable } from '../../../src/domain/expiry';
import { recentBackupDurations } from '../../../src/domain/rpoPlan';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-30T12:00:00Z');

/** Hourly backups of one instance, newest first: `hoursAgo` → state, 12 minutes each when they succeeded. */
function history(hours: number, state: (h: number) => DigestEntry['state'] = () => 'succeeded'): (DigestEntry & { expiresAt: string })[] {
  return Array.from({ length: hours }, (_, h) => {
    const created = NOW - (h + 1) * HOUR;
    const s = state(h);
    return {
      backupName: `apim.${new Date(created).toISOString().replace(/[-:]|\.\d{3}/g, '')}.scheduled.apimbackup`,
      createdAt: new Date(created).toISOString(),
      expiresAt: new Date(created + 30 * 24 * HOUR).toISOString(),
      state: s,
      trigger: 'scheduled' as const,
      ...(s === 'succeeded' ? { completedAt: new Date(created + (12 + (h % 5)) * 60_000).toISOString() } : {}),
      ...(h === 40 ? { platform: 'stv2' } : {}),
    };
  });
}

describe('catalog digest', () => {
  it('keeps a handful of entries however long the history, and what the tick needs from all of it', () => {
    // Newest running, then failures, then a month of successes; the platform is named only 40 hours back.
    const all = history(720, (h) => (h === 0 ? 'running' : h < 4 ? 'failed' : 'succeeded'));
    const digest = digestEntries(all);
    expect(digest.entries.length).toBeLessThanOrEqual(DIGEST_NEWEST + 4);
    const now = new Date(NOW);
    expect(newestRestorable(digest.entries, now, 2 * HOUR)?.backupName).toBe(newestRestorable(all, now, 2 * HOUR)?.backupName);
    expect(digest.entries[0]).toBe(all[0]);
    expect(digest.entries.find((e) => e.state === 'failed')).toBe(all[1]);
    expect(digest.entries.find((e) => e.platform)?.platform).toBe('stv2');
    expect(digest.durations.map((d) => d.ms)).toEqual(recentBackupDurations(all));
  });

  it('merges a settled entry idempotently, and counts its duration once', () => {
    const all = history(30);
    const running = { ...all[0]!, state: 'running' as const, completedAt: undefined };
    const before = digestEntries([running, ...all.slice(1)]);
    const once = mergeDigest(before, all[0]!);
    const twice = mergeDigest(once, all[0]!);
    expect(twice).toEqual(once);
    expect(once.entries[0]).toEqual(all[0]);
    expect(once.durations.map((d) => d.ms)).toEqual(recentBackupDurations(all));
  });
});
