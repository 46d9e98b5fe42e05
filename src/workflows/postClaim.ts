/**
 * The claim a start activity takes on its record before it sends an operation's POST. The Durable runtime may run
 * an activity's duplicate at the same time as the original, and the duplicate can look at the instance before the
 * original's POST has reached ARM: the instance is not busy yet and no token is recorded. A claim younger than
 * POST_CLAIM_MS says another execution is sending the POST right now: wait and look again, never send a second.
 */
import { AzureError } from '../errors';
import { isWriteConflict } from '../azure/storageErrors';
import { ANSWER_LOST_RETRY_MS } from './operation';

/** Longer than any activity takes between its claim and its POST's answer; the retry after a lost answer waits as long. */
export const POST_CLAIM_MS = ANSWER_LOST_RETRY_MS;

export const CLAIM_HELD_MESSAGE = 'another execution of this step claimed the POST moments ago; looking again shortly rather than sending a second one';

/** True while a claim taken at `claimedAt` still holds off other executions. */
export function claimHeld(claimedAt: string | undefined, now: Date): boolean {
  if (!claimedAt) return false;
  const age = now.getTime() - Date.parse(claimedAt);
  return age >= 0 && age < POST_CLAIM_MS;
}

/** True when a conditional write of a record lost to another writer: someone else holds the claim. */
export function lostClaim(err: unknown): boolean {
  if (isWriteConflict(err)) return true;
  return err instanceof AzureError && (err.statusCode === 412 || err.statusCode === 409);
}
