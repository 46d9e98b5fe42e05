import { describe, expect, it } from 'vitest';
import { closuresOnSuccess, closuresOutsideFleet, instanceSeen, refusedOperationOf } from '../../../src/domain/incidentClosures';
import { noticeText, reconcile, type IncidentBook, type Observation } from '../../../src/domain/incidents';

const at = '2026-03-02T00:00:00.000Z';
const opened = (kind: Observation['kind'], subject: string): Observation => ({ kind, subject, active: true, at: '2026-03-01T00:00:00.000Z' });
const bookOf = (...observations: Observation[]): IncidentBook => reconcile({}, observations).book;

const RESTORE = 'restores/apim-neu.20260301T000000Z.000abcd.json';
const MIGRATION = 'migrations/apim-dev.20260301T000000Z.000abcd.json';
const BACKUP = 'apim-weu.20260301T000000Z.scheduled.apimbackup';

describe('incidents nothing observed again would close', () => {
  it('reads the kind and instance of a refused operation from the record or backup it names', () => {
    expect(refusedOperationOf(RESTORE)).toEqual({ operation: 'restore', instance: 'apim-neu' });
    expect(refusedOperationOf(MIGRATION)).toEqual({ operation: 'migrate', instance: 'apim-dev' });
    expect(refusedOperationOf(BACKUP)).toEqual({ operation: 'backup', instance: 'apim-weu' });
    expect(refusedOperationOf('notes.txt')).toBeUndefined();
  });

  it('closes a refused backup once a backup of the same instance succeeds, with a resolve message saying why', () => {
    const book = bookOf(opened('operation.refused', BACKUP), opened('operation.refused', RESTORE));
    const { book: after, notices } = reconcile(book, closuresOnSuccess('backup', 'APIM-WEU', at));
    expect(Object.values(after).map((i) => i.subject)).toEqual([RESTORE]);
    expect(notices).toEqual([expect.objectContaining({ status: 'resolved', kind: 'operation.refused', subject: BACKUP, at })]);
    expect(noticeText(notices[0]!)).toContain(`Resolved: The refused operation of ${BACKUP} is closed: a backup of APIM-WEU succeeded since`);
  });

  it('leaves a refused restore open after a backup of its target, and closes it after a restore into it', () => {
    const book = bookOf(opened('operation.refused', RESTORE));
    expect(reconcile(book, closuresOnSuccess('backup', 'apim-neu', at)).notices).toEqual([]);
    expect(reconcile(book, closuresOnSuccess('restore', 'apim-neu', at)).notices).toHaveLength(1);
    expect(reconcile(bookOf(opened('operation.refused', MIGRATION)), closuresOnSuccess('migrate', 'apim-dev', at)).notices).toHaveLength(1);
  });

  it('closes an instance reported deleted when it is seen again, once', () => {
    const book = bookOf(opened('instance.deleted', 'apim-weu'), opened('instance.deleted', 'apim-neu'));
    const first = reconcile(book, [instanceSeen('apim-weu', at, 'tag discovery found it')]);
    expect(first.notices.map((n) => n.subject)).toEqual(['apim-weu']);
    expect(noticeText(first.notices[0]!)).toContain('apim-weu is no longer reported deleted: tag discovery found it');
    expect(reconcile(first.book, [instanceSeen('apim-weu', at, 'again')]).notices).toEqual([]);
  });

  it('closes the deletions and refusals of instances no longer in the fleet, and keeps those of instances still in it', () => {
    const book = bookOf(
      opened('instance.deleted', 'apim-gone'),
      opened('instance.deleted', 'apim-weu'),
      opened('operation.refused', 'restores/apim-gone.20260301T000000Z.000abcd.json'),
      opened('operation.refused', RESTORE),
      opened('backup.failed', 'apim-gone'),
    );
    const { book: after, notices } = reconcile(book, closuresOutsideFleet(['apim-weu', 'APIM-NEU'], at));
    expect(notices.map((n) => `${n.kind}:${n.subject}`).sort()).toEqual([
      'instance.deleted:apim-gone',
      'operation.refused:restores/apim-gone.20260301T000000Z.000abcd.json',
    ]);
    expect(
      Object.values(after)
        .map((i) => `${i.kind}:${i.subject}`)
        .sort(),
    ).toEqual(['backup.failed:apim-gone', 'instance.deleted:apim-weu', `operation.refused:${RESTORE}`]);
  });
});
