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
  cancelled?: boolean;
}

/**
 * Virtual time: nothing happens until `advance` or `runUntil` moves the clock. Between timers it waits for the
 * host to go idle, so activities doing real I/O finish before time jumps ahead. Timers are kept in a binary heap
 * by time (then order of scheduling), and a cancelled one is dropped when it reaches the top: a fleet's thousands
 * of timers cost a logarithm each, not a scan.
 */
export class VirtualClock implements HostClock {
  private time: number;
  private seq = 0;
  private readonly heap: Scheduled[] = [];
  private live = 0;
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
    const entry: Scheduled = { at: at.getTime(), seq: this.seq++, callback };
    this.push(entry);
    this.live += 1;
    return () => {
      if (entry.cancelled) return;
      entry.cancelled = true;
      this.live -= 1;
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
      this.fire(next);
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
      this.fire(next);
    }
  }

  pendingTimers(): number {
    return this.live;
  }

  private fire(entry: Scheduled): void {
    this.pop();
    entry.cancelled = true;
    this.live -= 1;
    this.time = Math.max(this.time, entry.at);
    entry.callback();
  }

  /** The next timer to fire, after dropping cancelled ones from the top. */
  private earliest(): Scheduled | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private push(entry: Scheduled): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
      if (least === i) break;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
