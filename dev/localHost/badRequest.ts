/** A request the local host cannot make sense of (bad percent-encoding, a body that is not JSON): a 400, never a 500. */
import { clip } from '../../src/validation';

export class BadRequest extends Error {
  override name = 'BadRequest';
}

export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest(`the path segment '${clip(segment)}' is not valid percent-encoding`);
  }
}

export function parseJsonBody(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new BadRequest(`the request body is not JSON: ${clip(err instanceof Error ? err.message : String(err))}`);
  }
}
