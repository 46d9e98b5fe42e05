import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/inProcess/hostClock';

describe('virtual clock', () => {
  it('fires timers in time order, ties in the order they were set, and never a cancelled one', async () => {
    const clock = new VirtualClock(new Date(0));
    const fired: string[] = [];
    // A deterministic shuffle of 500 timers over 50 distinct instants; every third one is cancelled.
    const expected: { at: number; seq: number; name: string }[] = [];
    for (let i = 0; i < 500; i++) {
      const at = ((i * 7_919) % 50) * 1_000;
      const name = `t${i}`;
      const cancel = clock.schedule(new Date(at), () => fired.push(name));
      if (i % 3 === 0) cancel();
      else expected.push({ at, seq: i, name });
    }
    expect(clock.pendingTimers()).toBe(expected.length);
    await clock.advance(60_000);
    expected.sort((a, b) => a.at - b.at || a.seq - b.seq);
    expect(fired).toEqual(expected.map((e) => e.name));
    expect(clock.pendingTimers()).toBe(0);
  });

  it('moves time to each timer as it fires, and a timer set while firing runs in turn', async () => {
    const clock = new VirtualClock(new Date(0));
    const seen: number[] = [];
    clock.schedule(new Date(5_000), () => {
      seen.push(clock.now().getTime());
      clock.schedule(new Date(6_000), () => seen.push(clock.now().getTime()));
    });
    clock.schedule(new Date(7_000), () => seen.push(clock.now().getTime()));
    await clock.runUntil(() => seen.length === 3);
    expect(seen).toEqual([5_000, 6_000, 7_000]);
  });
});
