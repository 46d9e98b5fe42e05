import { describe, expect, it } from 'vitest';
import { isPendingApproval, parseApprovalName } from '../../../src/domain/approvalRetention';
import { decideLogRetirement, parseEventBlobName, type EventBlob } from '../../../src/domain/operationLogRetention';

const DAY = 86_400_000;
const now = new Date('2026-09-01T00:00:00Z');
const blob = (daysAgo: number, marked = true, id = '0badcafe'): EventBlob => {
  const at = now.getTime() - daysAgo * DAY;
  return { name: `logs/c1/${new Date(at).toISOString().replace(/[-:]/g, '')}.${id}.json`, at, marked };
};

describe('retiring operation logs', () => {
  it('reads the operation and the time to the millisecond from an event blob name, and nothing else as one', () => {
    expect(parseEventBlobName('logs/1f0c-42/20260301T020304.567Z.0badcafe.json')).toEqual({
      correlationId: '1f0c-42',
      at: Date.parse('2026-03-01T02:03:04.567Z'),
    });
    expect(parseEventBlobName('logs/readme.txt')).toBeUndefined();
    expect(parseEventBlobName('logs/a/b/20260301T020304.567Z.0badcafe.json')).toBeUndefined();
    expect(parseEventBlobName('logs/c1/20260301T020304.567Z.notes.json')).toBeUndefined();
  });

  it('keeps an operation while its newest event is younger than the retention, however old its first', () => {
    expect(decideLogRetirement('c1', [blob(200), blob(89)], now, 90 * DAY, new Set())).toEqual({ action: 'keep', reason: 'recent' });
  });

  it('keeps an old operation a kept record names, and retires one nothing names, marked blobs as they are and older ones for checking', () => {
    const blobs = [blob(120, true, '00000001'), blob(100, false, '00000002')];
    expect(decideLogRetirement('c1', blobs, now, 90 * DAY, new Set(['c1']))).toEqual({ action: 'keep', reason: 'named' });
    expect(decideLogRetirement('c1', blobs, now, 90 * DAY, new Set(['c2']))).toEqual({
      action: 'retire',
      marked: [blobs[0]!.name],
      unmarked: [blobs[1]!.name],
    });
  });
});

describe('retiring approval records', () => {
  it('reads the operation and time of an approval record name', () => {
    expect(parseApprovalName('approvals/restore-contoso-apim-neu-1a2b3c4d.20260301T020000Z.123abcd.json')).toEqual({
      target: 'restore-contoso-apim-neu-1a2b3c4d',
      at: new Date('2026-03-01T02:00:00Z'),
    });
    expect(parseApprovalName('approvals/notes.json')).toBeUndefined();
  });

  it('counts as pending only a request still awaiting its second person before its deadline', () => {
    const later = new Date(now.getTime() + DAY).toISOString();
    const earlier = new Date(now.getTime() - DAY).toISOString();
    expect(isPendingApproval({ state: 'awaiting', expiresAt: later }, now)).toBe(true);
    expect(isPendingApproval({ state: 'awaiting', expiresAt: earlier }, now)).toBe(false);
    expect(isPendingApproval({ state: 'approved', expiresAt: later }, now)).toBe(false);
    expect(isPendingApproval({ state: 'expired' }, now)).toBe(false);
  });
});
