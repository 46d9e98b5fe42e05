/** Reads a blob's text and etag in one request (the etag guards the conditional write that follows). */
import type { BlockBlobClient } from '@azure/storage-blob';

export async function downloadText(blob: BlockBlobClient): Promise<{ text: string; etag: string }> {
  const response = await blob.download();
  const parts: Buffer[] = [];
  for await (const part of response.readableStreamBody ?? []) parts.push(typeof part === 'string' ? Buffer.from(part) : (part as Buffer));
  return { text: Buffer.concat(parts).toString('utf8'), etag: response.etag! };
}
