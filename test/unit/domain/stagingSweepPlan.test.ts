import { describe, expect, it } from 'vitest';
import { groupStaged, planStagingSweep, runOrchestration, stagingTags, type RunLiveness } from '../../../src/domain/stagingSweepPlan';

const HOUR = 3_600_000;
const T0 = new Date('2026-03-01T00:00:00Z');
const RUN = `snapshot-v2-abcd1234.${T0.getTime()}`;
const tagged = (name: string, run: string, at: Date) => ({ name, tags: stagingTags(run, at) });

describe('planStagingSweep', () => {
  const runs = groupStaged('snapshot-staging/', [
    tagged(`snapshot-staging/${RUN}/0000.json`, RUN, T0),
    tagged(`snapshot-staging/${RUN}/0001.json`, RUN, new Date(T0.getTime() + HOUR)),
    { name: `snapshot-staging/${RUN}/copy.json`, tags: {} },
    tagged('snapshot-staging/loose.json', 'loose.json', T0),
  ]);
  const plan = (now: number, liveness: RunLiveness) => planStagingSweep(runs, new Date(now), 2 * HOUR, () => Promise.resolve(liveness));

  it('counts only blobs tagged for their own run folder as the run’s; the rest is foreign', () => {
    expect(runs.map((r) => ({ folder: r.folder, owned: r.owned.length, foreign: r.foreign }))).toEqual([
      { folder: `snapshot-staging/${RUN}/`, owned: 2, foreign: [`snapshot-staging/${RUN}/copy.json`] },
      { folder: 'snapshot-staging/', owned: 0, foreign: ['snapshot-staging/loose.json'] },
    ]);
  });

  it('keeps a run whose newest write is younger than the safe age, even when its orchestration has ended', async () => {
    expect(await plan(T0.getTime() + 2.5 * HOUR, { state: 'ended' })).toMatchObject([{ action: 'keep', reason: 'recent' }]);
  });

  it('removes an old run whose orchestration ended or is unknown, naming only its own blobs', async () => {
    for (const state of [{ state: 'ended' }, { state: 'unknown' }] as RunLiveness[]) {
      expect(await plan(T0.getTime() + 4 * HOUR, state)).toEqual([
        {
          folder: `snapshot-staging/${RUN}/`,
          run: RUN,
          action: 'remove',
          reason: 'ended',
          blobs: [`snapshot-staging/${RUN}/0000.json`, `snapshot-staging/${RUN}/0001.json`],
          newestWrite: '2026-03-01T01:00:00.000Z',
        },
      ]);
    }
  });

  it('keeps an old run whose orchestration still runs, but not when the running one is a later start of the same ID', async () => {
    expect(await plan(T0.getTime() + 40 * HOUR, { state: 'active', createdAt: T0.getTime() })).toMatchObject([{ action: 'keep', reason: 'live' }]);
    expect(await plan(T0.getTime() + 40 * HOUR, { state: 'active' })).toMatchObject([{ action: 'keep', reason: 'live' }]);
    expect(await plan(T0.getTime() + 40 * HOUR, { state: 'active', createdAt: T0.getTime() + 30 * HOUR })).toMatchObject([{ action: 'remove' }]);
  });
});

describe('runOrchestration', () => {
  it('reads the instance ID and start time from a run ID, and nothing from an in-process one', () => {
    expect(runOrchestration(RUN)).toEqual({ instanceId: 'snapshot-v2-abcd1234', startedAt: T0.getTime() });
    expect(runOrchestration('in-process.a1b2c3d4e5f6')).toBeUndefined();
  });
});
