/**
 * The Durable Task Scheduler's message size limit, as the local engine enforces it. Every orchestration input and
 * output, activity input and output, custom status, external event payload and continue-as-new input travels as
 * one scheduler message, and a message may hold at most 1 MiB (1,048,576 bytes) of serialized payload; JavaScript
 * apps get no large-payload offloading, so anything bigger is refused. The local engine refuses it the same way,
 * never more kindly, and remembers the largest payload it carried (benchmarks report it).
 */

/** 1 MiB: the Durable Task Scheduler's per-message payload limit. */
export const DTS_PAYLOAD_LIMIT_BYTES = 1_048_576;

export const PAYLOAD_TOO_LARGE = 'PayloadTooLarge';

export class PayloadTooLargeError extends Error {
  readonly code = PAYLOAD_TOO_LARGE;
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `${PAYLOAD_TOO_LARGE}: the ${what} is ${bytes.toLocaleString('en-US')} bytes serialized; the Durable Task Scheduler accepts at most ${limit.toLocaleString('en-US')} bytes per message: pass a reference (a blob name) instead of the data`,
    );
    this.name = 'PayloadTooLargeError';
  }
}

export interface LargestPayload {
  bytes: number;
  what: string;
}

/** Measures every payload the engine carries against the limit; keeps the largest one seen. */
export class PayloadMeter {
  largest: LargestPayload = { bytes: 0, what: 'none' };

  constructor(readonly limit: number = DTS_PAYLOAD_LIMIT_BYTES) {}

  /** The payload's size as the scheduler stores it: its JSON text in UTF-8 (`undefined` travels as nothing). */
  static bytes(value: unknown): number {
    if (value === undefined) return 0;
    return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
  }

  /** Throws PayloadTooLargeError when `serialized` (JSON text, or a value to serialize) is over the limit. */
  check(what: string, serialized: unknown): void {
    const bytes = PayloadMeter.bytes(serialized);
    if (bytes > this.largest.bytes) this.largest = { bytes, what };
    if (bytes > this.limit) throw new PayloadTooLargeError(what, bytes, this.limit);
  }
}
