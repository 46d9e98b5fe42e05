import { describe, expect, it } from 'vitest';
import { DurableEngine } from '../../src/inProcess/durableEngine';
import { flakyCalls, testFunctions } from '../support/testOrchestrations';
import { VirtualClock } from '../../src/inProcess/hostClock';

function engineOnVirtualClock() {
  const clock = new VirtualClock(new Date('2026-05-01T00:00:00Z'));
  const engine = new DurableEngine(testFunctions, clock);
  clock.setIdleWaiter(() => engine.idle());
  const done = (id: string) => () => !['Running', 'Pending'].includes(engine.instances.get(id)?.runtimeStatus ?? 'Running');
  return { clock, engine, done };
}

describe('local durable engine (real durable-functions replay)', () => {
  it('retries a failing activity with a durable timer between attempts, with backoff', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testRetry', 'retry-1', { key: 'retry-1', failTimes: 2 });
    await clock.runUntil(done('retry-1'));
    const instance = engine.instances.get('retry-1')!;
    expect(instance.runtimeStatus).toBe('Completed');
    expect(instance.output).toBe(3);
    // 1 s after the first failure, 2 s after the second.
    expect(clock.now().toISOString()).toBe('2026-05-01T00:00:03.000Z');
  });

  it('fails the orchestration when the retries run out, with the activity error', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testRetry', 'retry-2', { key: 'retry-2', failTimes: 5 });
    await clock.runUntil(done('retry-2'));
    const instance = engine.instances.get('retry-2')!;
    expect(instance.runtimeStatus).toBe('Failed');
    expect(String(instance.output)).toContain('flaky failure 3');
    expect(flakyCalls.get('retry-2')).toBe(3);
  });

  it('hands an orchestrator a failed activity as durable-functions 3.5 does: a TaskFailedError naming the error type', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testCatch', 'catch-1', undefined);
    await clock.runUntil(done('catch-1'));
    expect(engine.instances.get('catch-1')!.output).toEqual({ name: 'TaskFailedError', errorType: 'NotRetriedHere', errorMessage: 'refused on purpose' });
  });

  it('fans out activities and gathers their results in order', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testFanOut', 'fan-1', [1, 2, 3, 4]);
    await clock.runUntil(done('fan-1'));
    expect(engine.instances.get('fan-1')!.output).toEqual([2, 4, 6, 8]);
  });

  it('delivers an external event that wins a race against a timer', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testRace', 'race-1', undefined);
    await clock.advance(60_000);
    expect(engine.raiseEvent('race-1', 'approve', { by: 'ops' })).toBe(true);
    await clock.runUntil(done('race-1'));
    expect(engine.instances.get('race-1')!.output).toEqual({ approved: { by: 'ops' } });
    expect(clock.now().toISOString()).toBe('2026-05-01T00:01:00.000Z');
  });

  it('lets the timer win when no event arrives', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testRace', 'race-2', undefined);
    await clock.runUntil(done('race-2'));
    expect(engine.instances.get('race-2')!.output).toBe('timed-out');
    expect(clock.now().toISOString()).toBe('2026-05-01T01:00:00.000Z');
  });

  it('runs a sub-orchestration and returns its output to the parent', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testParent', 'parent-1', undefined);
    await clock.runUntil(done('parent-1'));
    expect(engine.instances.get('parent-1')!.output).toEqual({ child: [10, 12] });
    expect(engine.instances.get('parent-1-child')!.runtimeStatus).toBe('Completed');
  });

  it('continues as new with a fresh history each time', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testCounter', 'counter-1', 0);
    await clock.runUntil(done('counter-1'));
    const instance = engine.instances.get('counter-1')!;
    expect(instance.output).toBe(3);
    expect(clock.now().toISOString()).toBe('2026-05-01T00:04:00.000Z');
    // Only the last execution's events remain: ExecutionStarted, one timer and the episodes around it.
    expect(instance.history.filter((e) => e.EventType === 0)).toHaveLength(1);
  });

  it('counts actions as the Durable Task Scheduler bills them', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testFanOut', 'billed-fan', [1, 2, 3, 4]);
    engine.start('testParent', 'billed-parent', undefined);
    engine.start('testCounter', 'billed-counter', 0);
    engine.start('testRace', 'billed-race', undefined);
    await clock.advance(60_000);
    engine.raiseEvent('billed-race', 'approve', { by: 'ops' });
    await clock.runUntil(() => ['billed-fan', 'billed-parent', 'billed-counter', 'billed-race'].every((id) => done(id)()));
    const actions = (id: string) => engine.instances.get(id)!.actions;
    // The start, then each activity: scheduled and its result processed.
    expect(actions('billed-fan')).toBe(1 + 4 * 2);
    // The parent: its start and the child's result; the child its own start and two activities.
    expect(actions('billed-parent')).toBe(1 + 1);
    expect(actions('billed-parent-child')).toBe(1 + 2 * 2);
    // Four executions (0 → 3), each a start and a timer that fires.
    expect(actions('billed-counter')).toBe(4 * 2);
    // The start and the external event that won.
    expect(actions('billed-race')).toBe(1 + 1);
  });

  it('keeps the histories of the newest finished orchestrations only, and purges the oldest beyond its limit', async () => {
    const clock = new VirtualClock(new Date('2026-05-01T00:00:00Z'));
    const engine = new DurableEngine(testFunctions, clock, { retainFinished: { histories: 2, instances: 5 } });
    clock.setIdleWaiter(() => engine.idle());
    for (let i = 1; i <= 8; i++) {
      engine.start('testFanOut', `kept-${i}`, [i]);
      await clock.runUntil(() => engine.instances.get(`kept-${i}`)?.runtimeStatus === 'Completed');
    }
    // The oldest three are purged; of the five kept, the newest two keep their histories, all keep their outputs.
    expect([...engine.instances.keys()]).toEqual(['kept-4', 'kept-5', 'kept-6', 'kept-7', 'kept-8']);
    expect([4, 5, 6, 7, 8].map((i) => engine.instances.get(`kept-${i}`)!.history.length > 0)).toEqual([false, false, false, true, true]);
    expect([4, 5, 6, 7, 8].map((i) => engine.instances.get(`kept-${i}`)!.output)).toEqual([[8], [10], [12], [14], [16]]);
  });

  it('refuses to start a second instance with the ID of a running one', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    expect(engine.start('testRace', 'single-1', undefined)).toBe(true);
    expect(engine.start('testRace', 'single-1', undefined)).toBe(false);
    engine.terminate('single-1', 'test over');
    await clock.runUntil(done('single-1'));
    expect(engine.instances.get('single-1')!.runtimeStatus).toBe('Terminated');
  });

  it('detects an orchestrator that is not deterministic and fails it with the reason', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testNondeterministic', 'nd-1', undefined);
    await clock.runUntil(done('nd-1'));
    const instance = engine.instances.get('nd-1')!;
    expect(instance.runtimeStatus).toBe('Failed');
    expect(String(instance.output)).toMatch(/Non-deterministic orchestrator 'testNondeterministic': action #0/);
  });
});
