import { describe, expect, it } from 'vitest';
import type { ApplyRecord } from '../../../src/domain/snapshot/applyRecord';
import { planSnapshotSyncs, type SnapshotSyncPlanInput } from '../../../src/domain/snapshotSyncPlan';
import { secretsSkippedText, snapshotStandbySync } from '../../../src/domain/snapshotStandbySync';

const ID = (name: string) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${name}`;
const S1 = 'apim-v2.20260302T000000Z.scheduled';
const S2 = 'apim-v2.20260302T060000Z.event';
const S3 = 'apim-v2.20260302T120000Z.scheduled';
const PRE = 'apim-v2.20260302T130000Z.pre-apply';

const record = (state: ApplyRecord['state'], snapshotName: string, extra: Partial<ApplyRecord> = {}): ApplyRecord => ({
  schemaVersion: 1,
  recordName: `snapshot-applies/apim-v2-standby.${snapshotName.split('.')[1]}.0000abcd.json`,
  snapshotName,
  source: 'apim-v2',
  target: 'apim-v2-standby',
  targetId: ID('apim-v2-standby'),
  requestedBy: 'sync:after-backup',
  purpose: 'sync',
  mode: 'mirror',
  only: [],
  state,
  verdict: 'Partially restorable',
  counts: { create: 1, change: 0, delete: 0, unchanged: 0, skipped: 0 },
  findings: [],
  failed: [],
  startedAt: '2026-03-02T12:05:00.000Z',
  completedAt: '2026-03-02T12:10:00.000Z',
  rtoMs: 300_000,
  armRequests: 10,
  ...extra,
});

function input(sync: string, snapshots: string[], records: ApplyRecord[], extra: Partial<SnapshotSyncPlanInput> = {}): SnapshotSyncPlanInput {
  return {
    sources: [{ name: 'apim-v2', id: ID('apim-v2'), standbys: [{ name: 'apim-v2-standby', id: ID('apim-v2-standby'), sync }] }],
    snapshots: new Map([['apim-v2', snapshots]]),
    records: new Map([['apim-v2-standby', records]]),
    busy: new Set(),
    now: new Date('2026-03-02T14:00:00Z'),
    ...extra,
  };
}

describe('planSnapshotSyncs', () => {
  it('after-backup: applies the newest snapshot once, naming the ones it supersedes, never a pre-apply snapshot', () => {
    const plan = planSnapshotSyncs(input('after-backup', [PRE, S3, S2, S1], [record('succeeded', S1)]));
    expect(plan).toEqual([expect.objectContaining({ snapshotName: S3, reason: 'after-backup', superseded: [S2] })]);
    expect(planSnapshotSyncs(input('after-backup', [PRE, S3, S2], [record('failed', S3)]))).toEqual([]);
  });

  it('waits while an apply runs into the standby, and plans nothing for a manual standby', () => {
    expect(planSnapshotSyncs(input('after-backup', [S3], [], { busy: new Set(['apim-v2-standby']) }))).toEqual([]);
    expect(planSnapshotSyncs(input('manual', [S3], []))).toEqual([]);
  });

  it('a schedule: syncs once it has fired since the last sync and the standby is behind', () => {
    const synced = record('partial', S2, { startedAt: '2026-03-02T06:05:00.000Z' });
    // Fired at 12:00, after the last sync at 06:05, and S3 is newer than what the standby holds.
    expect(planSnapshotSyncs(input('0 0 */6 * * *', [S3, S2], [synced]))).toEqual([expect.objectContaining({ snapshotName: S3, reason: 'schedule' })]);
    // Fired at 06:00, before the last sync: it waits for the next occurrence.
    expect(planSnapshotSyncs(input('0 0 */6 * * *', [S3, S2], [synced], { now: new Date('2026-03-02T11:00:00Z') }))).toEqual([]);
    expect(planSnapshotSyncs(input('0 0 */6 * * *', [S2], [synced]))).toEqual([]);
  });
});

describe('planSnapshotSyncs: a sync that missed app settings', () => {
  const missed = record('partial', S3, { missingSettings: ['APIM_DR_SECRET_NEU_REDIS'] });
  const isSet = (names: string[]) => (setting: string) => names.includes(setting);

  it('applies the same snapshot again once every setting it missed is set, and only then', () => {
    for (const sync of ['after-backup', '0 0 2 * * *']) {
      expect(planSnapshotSyncs(input(sync, [S3], [missed], { isSet: isSet(['APIM_DR_SECRET_NEU_REDIS']) }))).toEqual([
        expect.objectContaining({ snapshotName: S3, reason: 'settings', superseded: [] }),
      ]);
      expect(planSnapshotSyncs(input(sync, [S3], [missed], { isSet: isSet([]) }))).toEqual([]);
    }
  });

  it('does not try again a manual standby, an older snapshot, or a sync that missed nothing', () => {
    const all = { isSet: () => true };
    expect(planSnapshotSyncs(input('manual', [S3], [missed], all))).toEqual([]);
    expect(planSnapshotSyncs(input('after-backup', [S3], [record('partial', S3)], all))).toEqual([]);
    // A newer snapshot is planned for its own sake (after-backup), not as a retry.
    expect(planSnapshotSyncs(input('after-backup', [S3, S2], [record('partial', S2, { missingSettings: ['X'] })], all))).toEqual([
      expect.objectContaining({ snapshotName: S3, reason: 'after-backup' }),
    ]);
  });
});

describe('snapshotStandbySync', () => {
  const standby = { service: 'apim-v2-standby', sync: 'after-backup' };

  it('is in sync when it holds the newest snapshot, behind by the snapshots it lacks, and failed after a failed apply', () => {
    expect(snapshotStandbySync(standby, 'apim-v2', [PRE, S3], [record('partial', S3)])).toMatchObject({ via: 'snapshot', state: 'in-sync', lagMs: 0 });
    expect(snapshotStandbySync(standby, 'apim-v2', [S3, S2], [record('succeeded', S2)])).toMatchObject({ state: 'behind', lagMs: 6 * 3_600_000 });
    expect(snapshotStandbySync(standby, 'apim-v2', [S3], [record('failed', S3), record('succeeded', S2)])).toMatchObject({
      state: 'failed',
      lastApply: { snapshotName: S3, state: 'failed' },
    });
    expect(snapshotStandbySync(standby, 'apim-v2', [S3], [])).toMatchObject({ state: 'never-restored', lastApply: undefined });
  });

  it("is diverged once another instance's snapshot was applied to it", () => {
    const other = record('succeeded', 'apim-other.20260302T120000Z.manual', { source: 'apim-other', purpose: 'apply' });
    expect(snapshotStandbySync(standby, 'apim-v2', [S3], [other])).toMatchObject({
      state: 'diverged',
      holds: { snapshotName: 'apim-other.20260302T120000Z.manual', source: 'apim-other', purpose: 'apply' },
    });
  });
});

describe('what a synced standby went without', () => {
  const standby = { service: 'apim-v2-standby', sync: 'after-backup' };
  const finding = (code: string, resource: string) => ({ severity: 'partial', code, resource, message: `${resource}: …`, fix: '…' });

  it('counts the secrets its newest apply went without, every one of a group, and names the settings that were not set', () => {
    const partial = record('partial', S3, {
      findings: [finding('SecretNotCaptured', 'caches/default'), finding('SecretRedacted', 'backends/b1'), finding('UnsupportedOnTier', 'gateways')],
      findingGroups: [
        { severity: 'partial', code: 'SecretNotCaptured', count: 1, fix: '…', examples: ['caches/default'] },
        { severity: 'partial', code: 'SecretRedacted', count: 12, fix: '…', examples: ['backends/b1'] },
        { severity: 'partial', code: 'UnsupportedOnTier', count: 1, fix: '…', examples: ['gateways'] },
      ],
      missingSettings: ['APIM_DR_SECRET_NEU_REDIS'],
    });
    const sync = snapshotStandbySync(standby, 'apim-v2', [S3], [partial]);
    expect(sync.lastApply).toMatchObject({ secretsLeftOut: 13, missingSettings: ['APIM_DR_SECRET_NEU_REDIS'] });
    expect(secretsSkippedText(sync.lastApply)).toBe('13 secrets not supplied (app setting not set: APIM_DR_SECRET_NEU_REDIS)');
  });

  it('counts from the findings of a record without groups, and says nothing when nothing was left out', () => {
    const older = record('partial', S3, { findings: [finding('SecretNotCaptured', 'namedValues/orders-key')] });
    expect(secretsSkippedText(snapshotStandbySync(standby, 'apim-v2', [S3], [older]).lastApply)).toBe('1 secret not supplied');
    const clean = snapshotStandbySync(standby, 'apim-v2', [S3], [record('succeeded', S3)]);
    expect(clean.lastApply).not.toHaveProperty('secretsLeftOut');
    expect(secretsSkippedText(clean.lastApply)).toBeUndefined();
  });
});
