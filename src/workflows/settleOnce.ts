/**
 * The finish step the three operations share (activity side): read the operation's record, settle it from the
 * outcome only while it is still `running`, write it back on its ETag, and report the settlement once. A re-run
 * (activities are at-least-once) finds it settled and returns it as it stands.
 */

export interface Stored<R> {
  record: R;
  etag: string;
}

export interface Settlement<R extends { state: string }> {
  read(): Promise<Stored<R> | undefined>;
  /** Said when the record is gone: the operation cannot be settled without it. */
  vanished: string;
  settle(record: R): R | Promise<R>;
  write(record: R, etag: string): Promise<unknown>;
  /** Log, telemetry, notifications: once, right after the write. */
  report(record: R): void | Promise<void>;
}

export async function settleOnce<R extends { state: string }>(s: Settlement<R>): Promise<R> {
  const stored = await s.read();
  if (!stored) throw new Error(s.vanished);
  if (stored.record.state !== 'running') return stored.record;
  const settled = await s.settle(stored.record);
  await s.write(settled, stored.etag);
  await s.report(settled);
  return settled;
}

/** Where restore and migration records live (recordLog.ts): read by name, written on an ETag. */
export interface RecordStore<R> {
  read(recordName: string): Promise<Stored<R> | undefined>;
  write(record: R, etag?: string): Promise<unknown>;
}

/** settleOnce for an operation kept in a record (restore, migration). */
export function settleRecord<R extends { state: string }>(
  store: RecordStore<R>,
  recordName: string,
  operation: 'restore' | 'migration',
  steps: Pick<Settlement<R>, 'settle' | 'report'>,
): Promise<R> {
  return settleOnce({
    read: () => store.read(recordName),
    vanished: `${operation} record '${recordName}' vanished before the ${operation} finished`,
    write: (record, etag) => store.write(record, etag),
    ...steps,
  });
}
