/**
 * Which operations' event logs (`logs/<correlationId>/<yyyyMMddTHHmmss.SSSZ>.<id>.json`) the daily sweep retires. An
 * operation's log goes once its newest event is older than the records retention and no record still kept names its
 * correlation ID (a restore or migration record kept as one of its target's newest, an approval record): the log
 * lives as long as the records that describe the operation, never longer than they could. Pure: the caller lists.
 */

/** The metadata every event blob carries: whose it is, readable from a listing. */
export const OPERATION_LOG_MARK = { name: 'apimdr', value: 'operation-log' } as const;

/** As OperationEvents names an event: its time to the millisecond, then a random id. */
const EVENT_BLOB = /^logs\/([A-Za-z0-9-]{1,100})\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z\.[0-9a-f]{8}\.json$/;

export function parseEventBlobName(name: string): { correlationId: string; at: number } | undefined {
  const m = EVENT_BLOB.exec(name);
  if (!m) return undefined;
  const [, correlationId, y, mo, d, h, mi, s, ms] = m as unknown as string[];
  const at = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(at) ? undefined : { correlationId: correlationId!, at };
}

export interface EventBlob {
  name: string;
  at: number;
  /** It carries OPERATION_LOG_MARK; one written before the mark existed is apim-dr's only if its content says so. */
  marked: boolean;
}

export type LogDecision =
  | { action: 'keep'; reason: 'recent' | 'named' }
  /** `marked` go as they are; `unmarked` only once each reads as this operation's event. */
  | { action: 'retire'; marked: string[]; unmarked: string[] };

export function decideLogRetirement(
  correlationId: string,
  blobs: readonly EventBlob[],
  now: Date,
  retentionMs: number,
  named: ReadonlySet<string>,
): LogDecision {
  const newest = Math.max(...blobs.map((b) => b.at));
  if (now.getTime() - newest < retentionMs) return { action: 'keep', reason: 'recent' };
  if (named.has(correlationId)) return { action: 'keep', reason: 'named' };
  return { action: 'retire', marked: blobs.filter((b) => b.marked).map((b) => b.name), unmarked: blobs.filter((b) => !b.marked).map((b) => b.name) };
}

/**
 * How much younger than the retention a record may be and still name an old log: a record is named for its request,
 * and its operation's events all come at or after that; the slack covers a CLI's clock that differs from the app's.
 */
export const RECORD_CLOCK_SLACK_MS = 3_600_000;
