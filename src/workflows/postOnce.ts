/**
 * How a restore or migration start activity sends its POST once, even when the activity runs twice: the record is
 * marked (`startedAt`) before the POST and gets the operation's token after it; a re-run finds either and never
 * sends a second POST for one record. (A backup's manifest plays the same part in startBackup.ts.)
 */
import type { StartResult } from '../azure/apimOperations';
import { ANSWER_LOST_RETRY_MS, BUSY_RETRY_MS } from './operation';
import type { StartAnswer } from './operationLifecycle';
import { claimHeld, CLAIM_HELD_MESSAGE, lostClaim } from './postClaim';

interface Marked {
  state: string;
  startedAt?: string;
  operationToken?: string;
}

export interface PostOnce<R extends Marked> {
  record: R;
  etag: string;
  write(record: R, etag?: string): Promise<string | false>;
  now: Date;
  pollIntervalMs: number;
  /** After our POST went out unrecorded: whether what runs on the instance now is ours to adopt. */
  oursRunning(): Promise<boolean>;
  /** The record marked before the POST, and what it goes back to when ARM answers 409. */
  mark(startedAt: string): R;
  unmark: R;
  post(): Promise<StartResult>;
  /** Once the token is recorded. */
  started(marked: R): void;
}

export async function postOnce<R extends Marked>(p: PostOnce<R>): Promise<StartAnswer> {
  const { record, pollIntervalMs } = p;
  if (record.operationToken || record.state !== 'running') return { status: 'started', token: record.operationToken, pollIntervalMs };
  const held = { status: 'busy' as const, message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
  if (record.startedAt) {
    // Our POST went out but its outcome was not recorded (its answer was lost, or the activity died after it).
    if (await p.oursRunning()) return { status: 'started', pollIntervalMs };
    // A fresh mark: a concurrent execution of this step may be sending its POST right now.
    if (claimHeld(record.startedAt, p.now)) return held;
  }
  const marked = p.mark(p.now.toISOString());
  let markedEtag: string | false;
  try {
    markedEtag = await p.write(marked, p.etag);
  } catch (err) {
    // Another execution marked the record first: it sends the POST.
    if (lostClaim(err)) return held;
    throw err;
  }
  const started = await p.post();
  // ARM may have taken our POST: the mark stays, so the next attempt adopts what runs on the instance.
  if (started.status === 'unanswered') return { status: 'busy', message: started.message, retryAfterMs: ANSWER_LOST_RETRY_MS };
  if (started.status === 'busy') {
    // 409 to a POST that was answered: not ours (ours are never resent), so the mark goes and the wait begins.
    await p.write(p.unmark, markedEtag || undefined);
    return { status: 'busy', message: started.message, retryAfterMs: BUSY_RETRY_MS };
  }
  // ARM refused the POST itself (bad parameters, already on stv2, …): nothing runs; the operation fails with ARM's code.
  if (started.status === 'rejected') return { status: 'refused', code: started.code, message: started.message };
  await p.write({ ...marked, operationToken: started.token }, markedEtag || undefined);
  p.started(marked);
  return { status: 'started', token: started.token, pollIntervalMs, retryAfterMs: started.retryAfterMs };
}
