/**
 * Authentication on the local host's own endpoints, as the Functions host has it: when HTTP authentication is on,
 * the Durable HTTP API wants the same validated principal as `/api/*`, and the Event Grid webhook a system key
 * (`code` query parameter or `x-functions-key` header). The functions' own Durable client reaches the API through
 * an internal base URL that carries a per-process secret, as the host's loopback-only RPC endpoint does.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { authorize, HTTP_AUTH_SETTING } from '../../src/http/caller';
import { EVENT_GRID_KEY_SETTING, HttpRefusal } from './edgeGuard';

export function httpAuthOn(settings: NodeJS.ProcessEnv): boolean {
  return (settings[HTTP_AUTH_SETTING] ?? 'entra-id') !== 'none';
}

/** Reads need DR.Reader; starting, raising events, terminating and purging need DR.Restore (they can do what a restore can). */
export async function authorizeDurableApi(headers: Record<string, string>, settings: NodeJS.ProcessEnv, method: string): Promise<void> {
  if (!httpAuthOn(settings)) return;
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  await authorize({ get: (name) => lower.get(name.toLowerCase()) ?? null }, settings, method === 'GET' ? 'DR.Reader' : 'DR.Restore');
}

/** The Event Grid webhook's key check; the key itself never appears in a message or a log. */
export function checkEventGridKey(url: URL, headers: Record<string, string>, settings: NodeJS.ProcessEnv): void {
  if (!httpAuthOn(settings)) return;
  const expected = settings[EVENT_GRID_KEY_SETTING];
  if (!expected) {
    throw new HttpRefusal(
      401,
      'EventGridKeyNotSet',
      `HTTP authentication is on, so the Event Grid webhook needs a key: set the app setting ${EVENT_GRID_KEY_SETTING} and give the subscription's endpoint '?code=<key>'`,
    );
  }
  const header = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-functions-key')?.[1];
  const given = url.searchParams.get('code') ?? header;
  if (given === undefined || !sameSecret(given, expected)) {
    throw new HttpRefusal(401, 'Unauthorized', "the Event Grid webhook needs its key as the 'code' query parameter or the 'x-functions-key' header");
  }
}

/** Compares digests, so neither the length nor a prefix of the key leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A fresh secret for the internal Durable base URL of one host process. */
export function internalSecret(): string {
  return randomBytes(18).toString('hex');
}
