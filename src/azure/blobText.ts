/** Reads a blob's text and etag in one request (the etag guards the conditional write that follows), and parses state blobs. */
import type { BlockBlobClient } from '@azure/storage-blob';
import type { z } from 'zod';
import { AzureError } from '../errors';

export async function downloadText(blob: BlockBlobClient): Promise<{ text: string; etag: string }> {
  const response = await blob.download();
  const parts: Buffer[] = [];
  for await (const part of response.readableStreamBody ?? []) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return { text: Buffer.concat(parts).toString('utf8'), etag: response.etag! };
}

/** Parses a state blob apim-dr wrote; one that is not JSON or not of its schema is named with the way out. */
export function parseStateBlob<T extends z.ZodType>(name: string, text: string, schema: T, recovery: string): z.output<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AzureError(
    `storage: '${name}' is not a valid apim-dr state blob (${issue?.path.join('.') || 'root'}: ${issue?.message}): delete it; ${recovery}`,
    'InvalidStateBlob',
  );
}
