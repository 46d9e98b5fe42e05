/**
 * Which URLs a resumed poller may follow. An operation token is the SDK poller's serialized state, and it names the
 * URLs the next GET goes to, with the app's ARM bearer token: so before any request, every URL in it must be HTTPS
 * on the configured ARM host, and under the instance's own resource path or APIM's operation results in the
 * instance's own subscription. Pure: the token and the instance go in, the reason for a refusal comes out.
 */
import { z } from 'zod';
import type { ServiceRef } from './resourceId';

/** The part of core-lro's serialized state (`poller.toString()`) that holds where the poller goes next. */
const pollerStateSchema = z.object({
  state: z.object({
    config: z.object({
      operationLocation: z.string().optional(),
      resourceLocation: z.string().optional(),
    }),
  }),
});

/**
 * APIM answers a long-running POST with a `Location` on its operation results, per region of the subscription
 * (`GET /subscriptions/{id}/providers/Microsoft.ApiManagement/locations/{location}/operationResults/{operationId}`).
 */
const OPERATION_RESULTS = /^\/subscriptions\/([0-9a-f-]{36})\/providers\/microsoft\.apimanagement\/locations\/[a-z0-9-]+\/operationresults\/[^/]+$/;

/** Escapes ARM would decode after our check: an encoded slash, backslash or dot could walk out of the path. */
const ENCODED_ESCAPE = /%(2f|5c|2e)|\\/i;

/** Why `token` may not be followed for `ref`, or undefined when every URL in it may be. */
export function operationTokenProblem(token: string, armEndpoint: string, ref: ServiceRef): string | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(token);
  } catch {
    return 'the operation token is not a poller state apim-dr wrote (not JSON)';
  }
  const parsed = pollerStateSchema.safeParse(raw);
  if (!parsed.success) return 'the operation token is not a poller state apim-dr wrote (no state.config)';
  const { operationLocation, resourceLocation } = parsed.data.state.config;
  if (!operationLocation) return 'the operation token names no operation URL to poll';
  for (const [field, url] of [
    ['operationLocation', operationLocation],
    ['resourceLocation', resourceLocation],
  ] as const) {
    const problem = url === undefined ? undefined : operationUrlProblem(url, armEndpoint, ref);
    if (problem) return `its ${field} ${problem}`;
  }
  return undefined;
}

/** Why apim-dr may not send its ARM token to `url` for an operation on `ref`, or undefined. */
export function operationUrlProblem(url: string, armEndpoint: string, ref: ServiceRef): string | undefined {
  const arm = new URL(armEndpoint);
  let target: URL;
  try {
    target = new URL(url, arm);
  } catch {
    return 'is not a URL';
  }
  // Name the host only: a path or query could carry anything, and the record's reader needs the host to judge.
  if (target.protocol !== 'https:') return `is not HTTPS (${target.protocol.replace(':', '')} on ${target.host})`;
  if (target.username || target.password) return `carries credentials in the URL (host ${target.host})`;
  if (target.host.toLowerCase() !== arm.host.toLowerCase()) return `is on host ${target.host}, not the configured ARM host ${arm.host}`;
  const path = target.pathname;
  if (ENCODED_ESCAPE.test(path)) return 'has an encoded slash, backslash or dot in its path';
  const lower = path.toLowerCase();
  const own = ref.id.toLowerCase();
  if (lower === own || lower.startsWith(`${own}/`)) return undefined;
  const results = OPERATION_RESULTS.exec(lower);
  if (results && results[1] === ref.subscriptionId.toLowerCase()) return undefined;
  return `is not under ${ref.id} nor APIM's operation results of subscription ${ref.subscriptionId}`;
}
