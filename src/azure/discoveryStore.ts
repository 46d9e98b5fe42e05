/**
 * The last good discovery list and what the newest refresh saw (`state/discovery.json`), written by the schedule tick
 * only; read by every function and the CLI so that a discovered instance resolves by name wherever one is asked for.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { EMPTY_DISCOVERY, type DiscoveryState } from '../domain/discovery';
import { downloadText, parseStored } from './blobText';
import { storageError, storageStatus } from './storageErrors';

export { DISCOVERY_BLOB } from './stateLayout';
import { DISCOVERY_BLOB } from './stateLayout';

const discoveryStateSchema = z.object({
  schemaVersion: z.literal(1),
  lastAttemptAt: z.string().optional(),
  lastSuccessAt: z.string().optional(),
  failure: z.object({ at: z.string(), message: z.string(), subscriptions: z.array(z.string()) }).optional(),
  instances: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      subscriptionId: z.string(),
      location: z.string(),
      sku: z.string(),
      platform: z.string().optional(),
      tags: z.record(z.string(), z.string()),
      foundAt: z.string(),
    }),
  ),
  lost: z.array(z.object({ id: z.string(), name: z.string(), lostAt: z.string() })),
  lastRefresh: z.object({ at: z.string(), newlyFound: z.array(z.string()), lost: z.array(z.string()), requests: z.number(), pages: z.number() }).optional(),
}) satisfies z.ZodType<DiscoveryState>;

export class DiscoveryStore {
  constructor(private readonly container: ContainerClient) {}

  async read(): Promise<DiscoveryState> {
    try {
      const { text } = await downloadText(this.container.getBlockBlobClient(DISCOVERY_BLOB));
      return parseStored(DISCOVERY_BLOB, text, discoveryStateSchema, {
        what: 'apim-dr state blob',
        code: 'InvalidStateBlob',
        recovery: 'the next discovery refresh rewrites it',
      });
    } catch (err) {
      if (storageStatus(err) === 404) return EMPTY_DISCOVERY;
      throw storageError(err, `read '${DISCOVERY_BLOB}'`);
    }
  }

  async write(state: DiscoveryState): Promise<void> {
    const body = JSON.stringify(state, null, 2);
    try {
      await this.container
        .getBlockBlobClient(DISCOVERY_BLOB)
        .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    } catch (err) {
      throw storageError(err, `write '${DISCOVERY_BLOB}'`);
    }
  }
}
