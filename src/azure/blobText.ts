/** Reads a blob's text and etag in one request (the etag guards the conditional write that follows), and parses what apim-dr wrote there. */
import type { BlockBlobClient } from '@azure/storage-blob';
import type { z } from 'zod';
import { AzureError } from '../errors';

export async function downloadText(blob: BlockBlobClient): Promise<{ text: string; etag: string }> {
  const response = await blob.download();
  const parts: Buffer[] = [];
  for await (const part of response.readableStreamBody ?? []) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return { text: Buffer.concat(parts).toString('utf8'), etag: response.etag! };
}

export interface StoredKind {
  /** What the blob should be, e.g. 'apim-dr manifest'. */
  what: string;
  /** The AzureError code when it is not. */
  code: string;
  /** How to get out of it, when deleting the blob is the way out. */
  recovery?: string;
}

/**
 * Parses JSON apim-dr wrote to storage (manifests, restore records, state blobs) through its schema. A blob that
 * is not JSON, or not of the schema, is one AzureError naming it and the first problem, never a raw SyntaxError.
 */
export function parseStored<T extends z.ZodType>(name: string, text: string, schema: T, kind: StoredKind): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const recovery = kind.recovery ? `: delete it; ${kind.recovery}` : '';
  throw new AzureError(`storage: '${name}' is not a valid ${kind.what} (${issue?.path.join('.') || 'root'}: ${issue?.message})${recovery}`, kind.code);
}
