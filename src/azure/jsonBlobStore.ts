/**
 * JSON blobs in one container, read with their etag and written conditionally: the one way apim-dr's state
 * (records, change logs, incidents, ARM health) is stored. A blob that is not what apim-dr writes is named, never
 * trusted (blobText.ts); a missing one is `undefined`, and the caller says what that means.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { z } from 'zod';
import { downloadText, parseStored, type StoredKind } from './blobText';
import { isWriteConflict, storageError, storageStatus } from './storageErrors';

/** `etag`: replace only that version; `absent`: create only; `any`: overwrite. */
export type WriteCondition = { etag: string } | 'absent' | 'any';

export class JsonBlobStore {
  constructor(readonly container: ContainerClient) {}

  async read<T extends z.ZodType>(name: string, schema: T, kind: StoredKind): Promise<{ value: z.output<T>; etag: string } | undefined> {
    const stored = await this.readText(name);
    return stored && { value: parseStored(name, stored.text, schema, kind), etag: stored.etag };
  }

  /** The blob's text and etag, undefined when it is missing: for a caller that decides what an unreadable blob means. */
  async readText(name: string): Promise<{ text: string; etag: string } | undefined> {
    try {
      return await downloadText(this.container.getBlockBlobClient(name));
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      throw storageError(err, `read '${name}'`);
    }
  }

  /**
   * Writes `value` as JSON if `condition` holds; false when another writer got there first. Returns the new etag.
   * `metadata` comes back in a listing that asks for it, at no extra request or cost (index tags are billed per tag).
   */
  async write(
    name: string,
    value: unknown,
    condition: WriteCondition,
    tags?: Record<string, string>,
    metadata?: Record<string, string>,
  ): Promise<string | false> {
    const body = JSON.stringify(value, null, 2);
    const conditions = condition === 'any' ? undefined : condition === 'absent' ? { ifNoneMatch: '*' } : { ifMatch: condition.etag };
    try {
      const response = await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        conditions,
        blobHTTPHeaders: { blobContentType: 'application/json' },
        tags,
        metadata,
      });
      return response.etag!;
    } catch (err) {
      if (condition !== 'any' && isWriteConflict(err)) return false;
      throw storageError(err, `write '${name}'`);
    }
  }

  /** Names (and index tags, when asked) of the blobs under `prefix`, from one listing per 5,000. */
  async list(prefix: string, includeTags = false): Promise<{ name: string; tags: Record<string, string> }[]> {
    const found: { name: string; tags: Record<string, string> }[] = [];
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix, includeTags })) found.push({ name: blob.name, tags: blob.tags ?? {} });
    } catch (err) {
      throw storageError(err, `list '${prefix}'`);
    }
    return found;
  }

  /** Deletes a blob; one already gone counts as deleted. */
  async remove(name: string): Promise<void> {
    try {
      await this.container.getBlockBlobClient(name).deleteIfExists();
    } catch (err) {
      throw storageError(err, `delete '${name}'`);
    }
  }
}
