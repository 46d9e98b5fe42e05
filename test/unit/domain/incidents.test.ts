import { describe, expect, it } from 'vitest';
import { noticeText, reconcile, type IncidentBook, type Observation } from '../../../src/domain/incidents';

const seen = (active: boolean, at: string, subject = 'apim-weu'): Observation => ({
  kind: 'backup.failed',
  subject,
  active,
  at,
  detail: 'StorageAccessDenied: denied',
});

describe('reconcile', () => {
  it('opens an incident once however often it is seen, and resolves it once', () => {
    let book: IncidentBook = {};
    const sent: string[] = [];
    for (const [active, at] of [
      [true, 't1'],
      [true, 't2'],
      [true, 't3'],
      [false, 't4'],
      [false, 't5'],
      [true, 't6'],
    ] as const) {
      const result = reconcile(book, [seen(active, at)]);
      book = result.book;
      sent.push(...result.notices.map((n) => `${n.status}@${n.at}`));
    }
    expect(sent).toEqual(['opened@t1', 'resolved@t4', 'opened@t6']);
  });

  it('says nothing about a subject that was never in trouble', () => {
    expect(reconcile({}, [seen(false, 't1')])).toEqual({ book: {}, notices: [] });
  });

  it('keeps subjects and kinds apart, and matches subjects case-insensitively', () => {
    const { book } = reconcile({}, [seen(true, 't1', 'APIM-WEU'), { kind: 'rpo.breach', subject: 'apim-weu', active: true, at: 't1' }]);
    expect(Object.keys(book).sort()).toEqual(['backup.failed:apim-weu', 'rpo.breach:apim-weu']);
    expect(reconcile(book, [seen(false, 't2', 'apim-weu')]).notices).toMatchObject([{ status: 'resolved', kind: 'backup.failed', openedAt: 't1' }]);
  });

  it('writes a line a person reads, with the reason and when it began', () => {
    const { notices } = reconcile({}, [seen(true, '2026-03-01T02:00:00Z')]);
    expect(noticeText(notices[0]!)).toBe('[apim-dr] Backup of apim-weu failed: StorageAccessDenied: denied (2026-03-01T02:00:00Z)');
    const resolved = reconcile({ 'backup.failed:apim-weu': { kind: 'backup.failed', subject: 'apim-weu', openedAt: 'a' } }, [seen(false, 'b')]).notices[0]!;
    expect(noticeText(resolved)).toBe('[apim-dr] Resolved: Backups of apim-weu succeed again (since a, resolved b)');
  });
});
