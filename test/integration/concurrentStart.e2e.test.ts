/**
 * At-least-once, as the real runtime may deliver it: an activity's duplicate runs at the same time as the original
 * and the first to finish wins. The start activities (backup, restore, migration) still send exactly one POST to
 * ARM, whatever the interleaving: the duplicate is started after 0 to 64 event-loop turns of the original's run,
 * and each POST spends 0 or 40 turns on its way to ARM (a slow network: the other execution looks at the instance
 * before the POST has landed, as it can in Azure).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runToCompletion, startHarness, type Harness } from '../support/harness';

const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';
const DEV = 'contoso-apim-dev';
const MINUTE = 60_000;
const OFFSETS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 64];
const CASES = OFFSETS.flatMap((turns) => [
  [turns, 0],
  [turns, 40],
]);

/** Holds every operation POST for `turns` event-loop turns before it leaves (the real client, a slower path). */
function slowPosts(h: Harness, turns: number): void {
  const apim = h.services.apim as unknown as Record<'start' | 'startMigration', (...args: unknown[]) => Promise<unknown>>;
  for (const method of ['start', 'startMigration'] as const) {
    const original = apim[method].bind(apim);
    apim[method] = async (...args: unknown[]) => {
      for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
      return original(...args);
    };
  }
}

describe('start activities run twice at once', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const harness = async (activity: string, turns: number, postTurns: number) => {
    const h = await startHarness({
      durationMs: (kind) => (kind === 'migrate' ? 45 * MINUTE : kind === 'restore' ? 20 * MINUTE : 2 * MINUTE),
      hooks: { concurrentDuplicate: (name) => (name === activity ? turns : undefined) },
      // In-place migrations here run alone: the two-person rule has its own tests.
      config: (sandbox) => ({ ...sandbox.config(), approvals: { inPlace: false } }),
    });
    slowPosts(h, postTurns);
    return h;
  };
  const run = async (h: Harness, path: string, body: Record<string, unknown>) => {
    const response = await h.api('POST', path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    return (await runToCompletion(h, response.body.id)).output as { state: string };
  };
  /** Every POST that reached the sandbox for this kind and instance, whatever ARM answered. */
  const posts = (h: Harness, kind: string, service: string) => h.sandbox.apim.requests.filter((r) => r.kind === kind && r.service === service).length;

  it.each(CASES)('backup: one POST when the duplicate starts %i turns after the original, POSTs %i turns slow', async (turns, postTurns) => {
    h = await harness('startBackup', turns, postTurns);
    const summary = await run(h, '/api/backups', { service: DEV });
    expect(summary.state).toBe('succeeded');
    expect(h.host.engine.activityCalls.get('startBackup')).toBeGreaterThanOrEqual(2);
    expect(posts(h, 'backup.post', DEV)).toBe(1);
  });

  it.each(CASES)('restore: one POST when the duplicate starts %i turns after the original, POSTs %i turns slow', async (turns, postTurns) => {
    h = await harness('startRestore', turns, postTurns);
    await run(h, '/api/backups', { service: WEU });
    const summary = await run(h, '/api/restores', { source: WEU, target: NEU, confirm: NEU });
    expect(summary.state).toBe('succeeded');
    expect(h.host.engine.activityCalls.get('startRestore')).toBeGreaterThanOrEqual(2);
    expect(posts(h, 'restore.post', NEU)).toBe(1);
  });

  it.each(CASES)('migration: one POST when the duplicate starts %i turns after the original, POSTs %i turns slow', async (turns, postTurns) => {
    h = await harness('startMigration', turns, postTurns);
    const summary = await run(h, '/api/migrations', { service: DEV, confirm: DEV });
    expect(summary.state).toBe('succeeded');
    expect(h.host.engine.activityCalls.get('startMigration')).toBeGreaterThanOrEqual(2);
    expect(posts(h, 'migratetostv2.post', DEV)).toBe(1);
  });
});
