/**
 * Issue 25: the sweep deletes only what its own plan decided in the same run. A Durable start with a forged input,
 * or an apply step handed a page the planner did not write, deletes nothing; and no list of backups travels in a
 * Durable payload (issue 27).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { seedCatalog } from '../../bench/seedCatalog';
import { SweepRunStore } from '../../src/azure/sweepRunStore';
import { applySweepPage } from '../../src/workflows/sweep/applySweepPage';
import { planSweepRun, SWEEP_CHUNK } from '../../src/workflows/sweep/planSweepRun';
import type { SweepPageRequest, SweepSummary } from '../../src/workflows/sweep/types';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';

const DAY = 86_400_000;
const WEU = 'contoso-apim-weu';

describe('the sweep acts only on its own plan', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const exists = (name: string) => h!.sandbox.container().getBlobClient(name).exists();
  const forgedItem = (backupName: string) => ({
    backupName,
    service: WEU,
    action: 'delete' as const,
    reason: 'expired' as const,
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-31T00:00:00.000Z',
    markExpired: false,
  });

  it('deletes nothing when a Durable start of the sweep carries a forged plan in its input', async () => {
    h = await startHarness();
    const victim = await backupNow(h, WEU);
    const item = forgedItem(victim.backupName);
    // Everything an attacker might put in the input: a plan, items, digests, a page; all ignored.
    h.host.engine.start('sweepOrchestrator', 'forged-sweep', {
      dryRun: false,
      requestedBy: 'mallory',
      items: [item],
      plan: { items: [item], workDigests: ['0'.repeat(64)] },
      workDigests: ['0'.repeat(64)],
      page: 0,
    });
    const instance = await runToCompletion(h, 'forged-sweep');
    expect(instance.runtimeStatus).toBe('Completed');
    const summary = instance.output as SweepSummary;
    expect(summary.planned.delete).toBe(0);
    expect(summary.applied?.deleted).toBe(0);
    expect(await exists(victim.backupName)).toBe(true);
    expect(await h.services.catalog.read(victim.backupName)).toBeDefined();
  });

  it('runs a forged start without dryRun as a dry run', async () => {
    h = await startHarness();
    await backupNow(h, WEU);
    h.host.engine.start('sweepOrchestrator', 'no-dry-run-field', { requestedBy: 'mallory' });
    const summary = (await runToCompletion(h, 'no-dry-run-field')).output as SweepSummary;
    expect(summary.dryRun).toBe(true);
    expect(summary.applied).toBeUndefined();
  });

  it('refuses an apply step handed a list, a run that never planned, or a page that is not what its planner wrote', async () => {
    h = await startHarness();
    const expired = await backupNow(h, WEU);
    await h.clock.advance(31 * DAY);
    // Another instance's backup (its own sweep after it touches only that instance): restorable, never to go.
    const victim = await backupNow(h, 'contoso-apim-neu');
    // The run's pages live in the state container; even someone who can write there cannot make the sweep delete.
    const state = h.sandbox.stateContainer();

    // 1. The shape the apply step took before: a list of items.
    const asList = (await applySweepPage(h.services, [forgedItem(victim.backupName)] as unknown as SweepPageRequest)).refusedPages;
    // 2. A run that never planned.
    const neverPlanned = (await applySweepPage(h.services, { runId: 'never-planned', page: 0, digest: '0'.repeat(64) })).refusedPages;
    // 3. A real run whose page was replaced after planning: the digest from the run's history no longer matches.
    const plan = await planSweepRun(h.services, { runId: 'real-run' });
    expect(plan.workDigests).toHaveLength(1);
    const forgedPage = JSON.stringify({ runId: 'real-run', page: 0, items: [forgedItem(victim.backupName)] });
    await state.getBlockBlobClient(SweepRunStore.blobName('real-run', 'work-00000')).upload(forgedPage, Buffer.byteLength(forgedPage));
    const replaced = await applySweepPage(h.services, { runId: 'real-run', page: 0, digest: plan.workDigests[0]! });

    expect([asList, neverPlanned, replaced.refusedPages]).toEqual([1, 1, 1]);
    expect(replaced.deleted).toBe(0);
    // The refused page is refused whole: even the backup the real plan would delete stays until a clean run.
    expect(await exists(expired.backupName)).toBe(true);
    expect(await exists(victim.backupName)).toBe(true);
    expect(h.logs.filter((l) => l['event'] === 'apim-dr.sweep.page-refused')).toHaveLength(3);
  });

  it('keeps a backup that a self-consistent forged page (its own digest) asks to delete, because the apply step plans again', async () => {
    h = await startHarness();
    const victim = await backupNow(h, WEU);
    const page = JSON.stringify({ runId: 'forged-run', page: 0, items: [forgedItem(victim.backupName)] });
    await h.sandbox.stateContainer().getBlockBlobClient(SweepRunStore.blobName('forged-run', 'work-00000')).upload(page, Buffer.byteLength(page));
    const digest = createHash('sha256').update(page).digest('hex');
    const applied = await applySweepPage(h.services, { runId: 'forged-run', page: 0, digest });
    expect(applied).toMatchObject({ deleted: 0, refusedPages: 0 });
    expect(await exists(victim.backupName)).toBe(true);
    expect(h.logs).toContainEqual(expect.objectContaining({ event: 'apim-dr.sweep.not-replanned', backupName: victim.backupName, now: 'keep' }));
  });
});

describe('sweep run folders', () => {
  it('are pruned by the fleet sweep once older than seven days', async () => {
    const h = await startHarness();
    try {
      const store = h.services.sweepRuns;
      const at = h.clock.now();
      await store.write('old-run', 'records', { names: ['restores/x.json'] }, new Date(at.getTime() - 8 * DAY));
      await store.write('recent-run', 'records', { names: [] }, new Date(at.getTime() - 6 * DAY));
      await planSweepRun(h.services, { runId: 'fleet-run' });
      const names: string[] = [];
      for await (const blob of h.sandbox.stateContainer().listBlobsFlat({ prefix: 'sweeps/' })) names.push(blob.name);
      expect(names.filter((n) => n.startsWith('sweeps/old-run/'))).toEqual([]);
      expect(names).toContain('sweeps/recent-run/records.json');
      expect(names).toContain('sweeps/fleet-run/protection.json');
    } finally {
      await h.close();
    }
  });
});

describe('the sweep at scale', () => {
  it('plans and applies in pages: payloads stay small while the count of deletions is exact', { timeout: 240_000 }, async () => {
    const h = await startHarness();
    try {
      const entries = 1_100;
      const names = ['contoso-apim-weu', 'contoso-apim-neu', 'contoso-apim-dev'];
      // Half past 30 days (and past the 30-day retention): each is deleted; none is any instance's newest.
      await seedCatalog(h.sandbox.container(), h.services, { entries, names, now: h.clock.now(), expiredShare: 0.5 });
      const before = (await h.services.catalog.list()).filter((e) => Date.parse(e.expiresAt) <= h.clock.now().getTime()).length;
      h.host.engine.start('sweepOrchestrator', 'scale-sweep', { dryRun: false, requestedBy: 'test' });
      const summary = (await runToCompletion(h, 'scale-sweep')).output as SweepSummary;
      expect(summary.planned.entries).toBe(entries);
      expect(summary.applied?.deleted).toBe(before);
      expect(summary.workPages).toBe(Math.ceil(before / SWEEP_CHUNK));
      expect((await h.services.catalog.list()).length).toBe(entries - before);
      // The largest payload is a summary with a digest per page, not 1,500 items (~229 bytes each).
      expect(h.host.engine.largestPayload.bytes).toBeLessThan(4_096);
    } finally {
      await h.close();
    }
  });
});
