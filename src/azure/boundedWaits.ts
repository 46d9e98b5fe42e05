/**
 * No activity sleeps long on ARM's account: the SDK retries a transient failure twice within half a second, and a
 * `Retry-After` longer than a few seconds is not slept inside the activity. The activity then fails or answers
 * `unreachable`, and the orchestrator waits on a durable timer instead: free in Azure, and visible to the virtual
 * clock on the local host.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Clock } from '../clock';
import { retryAfterMs } from './retryAfter';

/** The SDK's own retries of one ARM request (its defaults: 3 retries, up to 64 s apart, Retry-After uncapped). */
export const ARM_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1_000 };

/** The longest `Retry-After` the SDK may sleep inside an activity. */
export const MAX_IN_ACTIVITY_WAIT_MS = 5_000;

/**
 * Per attempt: on a 429 or 503 (what the SDK's throttling retry sleeps for), drops a `Retry-After` longer than
 * MAX_IN_ACTIVITY_WAIT_MS, so the request fails at once and the orchestrator waits instead.
 */
export function capRetryAfterPolicy(clock: Clock): PipelinePolicy {
  return {
    name: 'apimDrCapRetryAfter',
    async sendRequest(request, next) {
      const response = await next(request);
      const header = response.headers.get('retry-after');
      if (
        (response.status === 429 || response.status === 503) &&
        header !== undefined &&
        (retryAfterMs(header, clock.now().getTime()) ?? 0) > MAX_IN_ACTIVITY_WAIT_MS
      ) {
        response.headers.delete('retry-after');
      }
      return response;
    },
  };
}
