/**
 * The Durable Task Scheduler's 1 MiB message limit in the local engine: every place a payload travels refuses one
 * byte over it, as Azure does, and the engine reports the largest payload it carried.
 */
import { describe, expect, it } from 'vitest';
import { DurableEngine } from '../../src/inProcess/durableEngine';
import { jsonOfBytes, payloadFunctions, slowFirstCalls } from '../support/payloadOrchestrations';
import { VirtualClock } from '../../src/inProcess/hostClock';
import { DTS_PAYLOAD_LIMIT_BYTES, PayloadTooLargeError } from '../../src/inProcess/payloadLimit';
import type { EngineHooks } from '../../src/inProcess/durableEngine';

const MIB = 1024 * 1024;

function engineOnVirtualClock(hooks: EngineHooks = {}) {
  const clock = new VirtualClock(new Date('2026-05-01T00:00:00Z'));
  const engine = new DurableEngine(payloadFunctions, clock, hooks);
  clock.setIdleWaiter(() => engine.idle());
  const done = (id: string) => () => !['Running', 'Pending'].includes(engine.instances.get(id)?.runtimeStatus ?? 'Running');
  return { clock, engine, done };
}

describe('the Durable Task Scheduler payload limit in the local engine', () => {
  it('is 1 MiB, as the scheduler documents', () => {
    expect(DTS_PAYLOAD_LIMIT_BYTES).toBe(MIB);
  });

  it('refuses to start an orchestration whose input is one byte over, and creates nothing', () => {
    const { engine } = engineOnVirtualClock();
    // The input object's JSON: {"place":"output","bytes":2,"pad":"xxx…"}: pad it to exactly MIB + 1 bytes.
    const prefix = JSON.stringify({ place: 'output', bytes: 2, pad: '' }).length;
    const input = { place: 'output', bytes: 2, pad: 'x'.repeat(MIB + 1 - prefix) };
    expect(JSON.stringify(input).length).toBe(MIB + 1);
    expect(() => engine.start('testPayload', 'big-start', input)).toThrow(PayloadTooLargeError);
    expect(engine.instances.has('big-start')).toBe(false);
  });

  it.each([
    ['activity-output', "output of activity 'testMakePayload'"],
    ['activity-input', "input of activity 'testMeasure' from orchestration 'testPayload'"],
    ['custom-status', "custom status of orchestration 'testPayload'"],
    ['output', "output of orchestration 'testPayload'"],
    ['sub-input', "input of sub-orchestration 'testPayloadChild' from orchestration 'testPayload'"],
  ] as const)('fails the orchestration when the %s is one byte over, naming it', async (place, what) => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testPayload', `over-${place}`, { place, bytes: MIB + 1 });
    await clock.runUntil(done(`over-${place}`));
    const instance = engine.instances.get(`over-${place}`)!;
    expect(instance.runtimeStatus).toBe('Failed');
    expect(String(instance.output)).toContain(`the ${what} is ${(MIB + 1).toLocaleString('en-US')} bytes`);
    // Nothing the oversized payload was meant for ran.
    if (place === 'activity-input' || place === 'sub-input') expect(engine.activityCalls.get('testMeasure') ?? 0).toBe(0);
  });

  it.each(['activity-output', 'activity-input', 'custom-status', 'output', 'sub-input'] as const)('carries a %s of exactly 1 MiB', async (place) => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testPayload', `at-${place}`, { place, bytes: MIB });
    await clock.runUntil(done(`at-${place}`));
    expect(engine.instances.get(`at-${place}`)!.runtimeStatus).toBe('Completed');
    expect(engine.largestPayload.bytes).toBe(MIB);
  });

  it('fails a continue-as-new whose input is over the limit', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testPayload', 'can-over', { place: 'continue-as-new', bytes: MIB });
    await clock.runUntil(done('can-over'));
    const instance = engine.instances.get('can-over')!;
    expect(instance.runtimeStatus).toBe('Failed');
    expect(String(instance.output)).toContain("continue-as-new input of orchestration 'testPayload'");
  });

  it('refuses an external event payload over the limit and leaves the instance waiting', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testAwaitEvent', 'event-1', null);
    await clock.advance(1_000);
    expect(() => engine.raiseEvent('event-1', 'data', jsonOfBytes(MIB + 1))).toThrow(/payload of event 'data' is 1,048,577 bytes/);
    expect(engine.instances.get('event-1')!.runtimeStatus).toBe('Running');
    expect(engine.raiseEvent('event-1', 'data', jsonOfBytes(MIB))).toBe(true);
    await clock.runUntil(done('event-1'));
    expect(engine.instances.get('event-1')!.output).toBe(MIB - 2);
  });

  it('reports the largest payload it carried and where', async () => {
    const { clock, engine, done } = engineOnVirtualClock();
    engine.start('testPayload', 'largest', { place: 'activity-output', bytes: 300_000 });
    await clock.runUntil(done('largest'));
    expect(engine.largestPayload).toEqual({ bytes: 300_000, what: "output of activity 'testMakePayload'" });
  });

  it('runs a concurrent duplicate of an activity and delivers whichever finishes first', async () => {
    const { clock, engine, done } = engineOnVirtualClock({ concurrentDuplicate: (name) => (name === 'testSlowFirst' ? 0 : undefined) });
    engine.start('testSlowFirstRun', 'dup-1', 'dup-1');
    await clock.runUntil(done('dup-1'));
    // The original (execution 1) is slow; its duplicate, started at once, finishes first and wins.
    expect(engine.instances.get('dup-1')!.output).toBe('execution 2');
    expect(slowFirstCalls.get('dup-1')).toBe(2);
    expect(engine.activityCalls.get('testSlowFirst')).toBe(2);
  });
});
