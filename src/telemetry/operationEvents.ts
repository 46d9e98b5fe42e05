/**
 * An operation's events, kept where anyone with the reader role can read them later, whichever process ran it: the app,
 * or the CLI in process (whose own log goes nowhere). Every backup, restore, migration and approval event that carries
 * a correlation ID is also written to the state container (stateLayout.ts); `apim-dr logs` reads them back.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ensureError } from '../errors';
import type { Logger, LogLevel } from './logger';
import { redact } from './logger';
import type { JsonBlobStore } from '../azure/jsonBlobStore';
import { operationLogPrefix } from '../azure/stateLayout';
import { OPERATION_LOG_MARK } from '../domain/operationLogRetention';

/** The events that tell an operation's story; ticks, sweeps and discovery have their own logs. */
const OPERATION_EVENT = /^apim-dr\.(backup|restore|migration|sync|drill|approval|snapshot)\./;

/** A correlation ID is apim-dr's UUID; anything else (a slash, a dot) never becomes a path. */
const CORRELATION_ID = /^[A-Za-z0-9-]{1,100}$/;

export const operationEventSchema = z.looseObject({ time: z.string(), level: z.string(), event: z.string(), correlationId: z.string() });
export type OperationEvent = z.output<typeof operationEventSchema>;

export class OperationEvents {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    /** The state container's store: the daily sweep retires old events from it (sweep/retireOperationLogs.ts). */
    readonly store: JsonBlobStore,
    private readonly now: () => Date,
    /** Where a failed write is reported: it never fails the operation itself. */
    private readonly onFailure: (message: string) => void,
  ) {}

  /** Writes the event if it belongs to an operation; returns at once (`flush` waits for the writes). */
  record(event: string, level: LogLevel, properties: Record<string, unknown>): void {
    const correlationId = properties['correlationId'];
    if (!OPERATION_EVENT.test(event) || typeof correlationId !== 'string' || !CORRELATION_ID.test(correlationId)) return;
    const time = this.now().toISOString();
    const entry = redact({ time, level, event, ...properties, correlationId }) as Record<string, unknown>;
    const name = `${operationLogPrefix(correlationId)}${time.replace(/[-:]/g, '')}.${randomUUID().slice(0, 8)}.json`;
    // Marked as apim-dr's, so that the sweep that retires it can tell from the listing alone.
    const write = this.store.write(name, entry, 'absent', undefined, { [OPERATION_LOG_MARK.name]: OPERATION_LOG_MARK.value }).then(
      () => undefined,
      (err: unknown) => this.onFailure(`could not keep event ${event} of operation ${correlationId}: ${ensureError(err).message}`),
    );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Waits for every write started so far: a CLI process calls it before it exits. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** The operation's events, oldest first. */
  async read(correlationId: string): Promise<OperationEvent[]> {
    if (!CORRELATION_ID.test(correlationId)) return [];
    const names = (await this.store.list(operationLogPrefix(correlationId))).map((b) => b.name).sort();
    const events = await Promise.all(
      names.map(async (name) => (await this.store.read(name, operationEventSchema, { what: 'apim-dr operation event', code: 'InvalidOperationEvent' }))?.value),
    );
    return events.flatMap((e) => (e ? [e] : [])).sort((a, b) => a.time.localeCompare(b.time));
  }
}

/** `logger`, with every operation event it logs also kept by `events`. */
export function keepingOperationEvents(logger: Logger, events: OperationEvents, base: Record<string, unknown> = {}): Logger {
  return {
    log: (level, message, properties) => logger.log(level, message, properties),
    event: (name, properties, level = 'info') => {
      logger.event(name, properties, level);
      events.record(name, level, { ...base, ...properties });
    },
    child: (properties) => keepingOperationEvents(logger.child(properties), events, { ...base, ...properties }),
  };
}
