/** Clocks the local host can run on: the system clock, or a virtual one that tests and benchmarks move by hand. */
import type { Clock } from '../clock';

export interface HostClock extends Clock {
  /** Calls `callback` at `at` (this clock's time); returns a cancel function. */
  schedule(at: Date, callback: () => void): () => void;
}

export const realHostClock: HostClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  schedule(at, callback) {
    // setTimeout's limit is about 24.8 days; hop in steps for longer waits.
    const MAX = 2_000_000_000;
    let handle: NodeJS.Timeout;
    const arm = () => {
      const wait = at.getTime() - Date.now();
      handle = setTimeout(wait > MAX ? arm : callback, Math.max(0, Math.min(wait, MAX)));
      handle.unref?.();
    };
    arm();
    return () => clearTimeout(handle);
  },
};

interface Scheduled {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * Virtual time: nothing happens until `advance` or `runUntil` moves the clock. Between timers it waits for the
 * host to go idle, so activities doing real I/O finish before time jumps ahead.
 */
export class VirtualClock implements HostClock {
  private time: number;
  private seq = 0;
  private queue: Scheduled[] = [];
  private idle: () => Promise<void> = () => settle();

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.time = start.getTime();
  }

  /** The host tells the clock how to wait until all of its in-flight work is done. */
  setIdleWaiter(idle: () => Promise<void>): void {
    this.idle = idle;
  }

  now(): Date {
    return new Date(this.time);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(new Date(this.time + ms), resolve));
  }

  schedule(at: Date, callback: () => void): () => void {
    const entry = { at: at.getTime(), seq: this.seq++, callback };
    this.queue.push(entry);
    return () => {
      this.queue = this.queue.filter((e) => e !== entry);
    };
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.runUntilTime(this.time + ms);
  }

  async runUntilTime(target: number): Promise<void> {
    for (;;) {
      await this.idle();
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.queue = this.queue.filter((e) => e !== next);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = Math.max(this.time, target);
    await this.idle();
  }

  /** Advances until `done()` holds, checking after every timer; fails after `limitMs` of virtual time. */
  async runUntil(done: () => boolean | Promise<boolean>, limitMs = 7 * 86_400_000): Promise<void> {
    const deadline = this.time + limitMs;
    for (;;) {
      await this.idle();
      if (await done()) return;
      const next = this.earliest();
      if (!next || next.at > deadline)
        throw new Error(
          `virtual clock: condition not met by ${new Date(deadline).toISOString()} (next timer: ${next ? new Date(next.at).toISOString() : 'none'})`,
        );
      this.queue = this.queue.filter((e) => e !== next);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
  }

  pendingTimers(): number {
    return this.queue.length;
  }

  private earliest(): Scheduled | undefined {
    let best: Scheduled | undefined;
    for (const e of this.queue) if (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq)) best = e;
    return best;
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
