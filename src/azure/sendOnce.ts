/**
 * A POST that starts an APIM operation (backup, restore, migrateToStv2) is sent once per call. When its answer is
 * lost (the connection dropped before a response), ARM may have carried it out: the SDK's own retry would resend
 * it and meet that very operation with 409, which looks like someone else's. Instead the call fails with
 * `AnswerLost`, and the caller, which marked its record before the POST, adopts what runs on the instance.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import { restPipeline } from './lazySdk';

export const ANSWER_LOST = 'AnswerLost';

const OPERATION_POST = /\/providers\/Microsoft\.ApiManagement\/service\/[^/]+\/(backup|restore|migrateToStv2)$/i;

export function sendOperationPostOncePolicy(): PipelinePolicy {
  const unanswered = new WeakSet<PipelineRequest>();
  return {
    name: 'apimDrSendOperationPostOnce',
    async sendRequest(request, next) {
      if (request.method !== 'POST' || !OPERATION_POST.test(new URL(request.url).pathname)) return next(request);
      if (unanswered.has(request)) {
        throw new (restPipeline().RestError)('the POST was sent and its answer was lost; it is not sent again', { code: ANSWER_LOST, request });
      }
      try {
        return await next(request);
      } catch (err) {
        // No status: the request may have reached ARM. A response of any status means it did not start twice.
        if ((err as { statusCode?: number }).statusCode === undefined) unanswered.add(request);
        throw err;
      }
    },
  };
}

/** True for the error sendOperationPostOncePolicy raises. */
export function isAnswerLost(err: unknown): boolean {
  return (err as { code?: string }).code === ANSWER_LOST;
}
