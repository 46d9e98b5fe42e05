import { describe, expect, it } from 'vitest';
import { backupName } from '../../../src/domain/backupName';
import { expiresAt } from '../../../src/domain/expiry';
import { planRestores, type PlannedSource, type RestorePlanInput, type SourceBackup } from '../../../src/domain/restorePlan';
import type { RestoreRecord } from '../../../src/domain/restoreRecord';

const NOW = new Date('2026-03-10T12:00:00Z');
const id = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${name}`;
const source = (sync: string, drill?: string): PlannedSource => ({
  name: 'weu',
  id: id('weu'),
  standbys: [{ name: 'neu', id: id('neu'), sync }],
  ...(drill ? { drill: { name: 'drill', id: id('drill'), schedule: drill } } : {}),
});

function backup(at: string, trigger: SourceBackup['trigger'] = 'scheduled', state: SourceBackup['state'] = 'succeeded'): SourceBackup {
  const created = new Date(at);
  // The catalog's createdAt is when the activity ran, a little after the name's time.
  return {
    backupName: backupName('weu', created, trigger),
    createdAt: new Date(created.getTime() + 1_234).toISOString(),
    expiresAt: expiresAt(created).toISOString(),
    state,
    trigger,
  };
}

function record(
  target: string,
  purpose: RestoreRecord['purpose'],
  backup: string | undefined,
  state: RestoreRecord['state'],
  requestedAt: string,
): RestoreRecord {
  return {
    schemaVersion: 1,
    recordName: `restores/${target}.x.json`,
    source: 'weu',
    target,
    targetId: id(target),
    backupName: backup,
    requestedBy: 't',
    correlationId: 'c',
    owner: 'o',
    purpose,
    requestedAt,
    state,
    findings: [],
  };
}

function plan(over: Partial<RestorePlanInput> & { sources: PlannedSource[] }) {
  return planRestores({ backups: new Map(), records: new Map(), busy: new Set(), now: NOW, restoreMarginMs: 2 * 3_600_000, ...over });
}

describe('planRestores: standby sync', () => {
  const b1 = backup('2026-03-10T02:00:00Z');
  const b2 = backup('2026-03-10T06:00:00Z', 'event');
  const b3 = backup('2026-03-10T10:00:00Z');
  const backups = new Map([['weu', [b3, b2, b1]]]);

  it('after-backup: restores the newest backup, and names the ones it supersedes', () => {
    const records = new Map([['neu', [record('neu', 'sync', b1.backupName, 'succeeded', '2026-03-10T02:05:00Z')]]]);
    expect(plan({ sources: [source('after-backup')], backups, records })).toEqual([
      expect.objectContaining({ target: 'neu', purpose: 'sync', backupName: b3.backupName, reason: 'after-backup', superseded: [b2.backupName] }),
    ]);
  });

  it('after-backup: nothing once the newest backup was tried, even if that restore failed; nothing while the standby is busy', () => {
    const tried = new Map([['neu', [record('neu', 'sync', b3.backupName, 'failed', '2026-03-10T10:05:00Z')]]]);
    expect(plan({ sources: [source('after-backup')], backups, records: tried })).toEqual([]);
    expect(plan({ sources: [source('after-backup')], backups, busy: new Set(['neu']) })).toEqual([]);
  });

  it('never syncs a pre-restore backup, which holds the state a restore replaced', () => {
    const pre = backup('2026-03-10T11:00:00Z', 'pre-restore');
    const records = new Map([['neu', [record('neu', 'sync', b3.backupName, 'succeeded', '2026-03-10T10:05:00Z')]]]);
    expect(plan({ sources: [source('after-backup')], backups: new Map([['weu', [pre, b3]]]), records })).toEqual([]);
  });

  it('manual never syncs; a schedule syncs once per occurrence, and only when the standby is behind', () => {
    expect(plan({ sources: [source('manual')], backups })).toEqual([]);
    const daily = source('0 0 11 * * *');
    expect(plan({ sources: [daily], backups })).toEqual([expect.objectContaining({ backupName: b3.backupName, reason: 'schedule' })]);
    const syncedAfter = new Map([['neu', [record('neu', 'sync', b2.backupName, 'succeeded', '2026-03-10T11:00:30Z')]]]);
    expect(plan({ sources: [daily], backups, records: syncedAfter })).toEqual([]);
    const inSync = new Map([['neu', [record('neu', 'restore', b3.backupName, 'succeeded', '2026-03-10T10:30:00Z')]]]);
    expect(plan({ sources: [daily], backups, records: inSync })).toEqual([]);
  });

  it('skips expired backups and those too close to expiry', () => {
    const old = backup('2026-02-08T11:00:00Z');
    expect(plan({ sources: [source('after-backup')], backups: new Map([['weu', [old]]]) })).toEqual([]);
  });
});

describe('planRestores: drills', () => {
  const weekly = '0 0 3 * * 2'; // Tuesdays 03:00; NOW is Tuesday 12:00
  const b = backup('2026-03-10T02:00:00Z');

  it('drills once per occurrence, with the newest restorable backup', () => {
    expect(plan({ sources: [source('manual', weekly)], backups: new Map([['weu', [b]]]) })).toEqual([
      expect.objectContaining({ target: 'drill', purpose: 'drill', backupName: b.backupName, reason: 'schedule' }),
    ]);
    const drilled = new Map([['drill', [record('drill', 'drill', b.backupName, 'failed', '2026-03-10T03:00:00Z')]]]);
    expect(plan({ sources: [source('manual', weekly)], backups: new Map([['weu', [b]]]), records: drilled })).toEqual([]);
  });

  it('waits for the first restorable backup before the first drill, then drills at once', () => {
    expect(plan({ sources: [source('manual', weekly)] })).toEqual([]);
    // A schedule whose last occurrence was before the backup: the first drill does not wait for the next one.
    const later = backup('2026-03-10T11:00:00Z');
    expect(plan({ sources: [source('manual', weekly)], backups: new Map([['weu', [later]]]) })).toEqual([
      expect.objectContaining({ purpose: 'drill', backupName: later.backupName }),
    ]);
  });

  it('drills with nothing restorable once it has drilled before, so that the drill reports it', () => {
    const drilled = new Map([['drill', [record('drill', 'drill', b.backupName, 'succeeded', '2026-03-03T03:00:00Z')]]]);
    expect(plan({ sources: [source('manual', weekly)], records: drilled })).toEqual([expect.objectContaining({ purpose: 'drill', backupName: undefined })]);
  });

  it('starts at most one restore per target', () => {
    const both: PlannedSource = { ...source('after-backup'), drill: { name: 'neu', id: id('neu'), schedule: weekly } };
    expect(plan({ sources: [both], backups: new Map([['weu', [b]]]) })).toHaveLength(1);
  });
});
