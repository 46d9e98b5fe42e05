/**
 * Where the schedule tick keeps what it last learned about ARM: per subscription, since when ARM has not answered
 * (`state/arm-health.json`). Written only when that changes, by the tick; read by the tick and the status.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { downloadText, parseStored } from './blobText';
import { storageError, storageStatus } from './storageErrors';

export const ARM_HEALTH_BLOB = 'state/arm-health.json';

const armHealthSchema = z.object({
  schemaVersion: z.literal(1),
  /** Subscription ID → when the first failed probe was, with what ARM (or the network) said. */
  unreachable: z.record(z.string(), z.object({ since: z.string(), message: z.string() })),
});

export type ArmOutages = z.output<typeof armHealthSchema>['unreachable'];

export class ArmHealth {
  constructor(private readonly container: ContainerClient) {}

  async read(): Promise<ArmOutages> {
    try {
      const { text } = await downloadText(this.container.getBlockBlobClient(ARM_HEALTH_BLOB));
      return parseStored(ARM_HEALTH_BLOB, text, armHealthSchema, {
        what: 'apim-dr state blob',
        code: 'InvalidStateBlob',
        recovery: 'the next schedule tick rewrites it',
      }).unreachable;
    } catch (err) {
      if (storageStatus(err) === 404) return {};
      throw storageError(err, `read '${ARM_HEALTH_BLOB}'`);
    }
  }

  async write(unreachable: ArmOutages): Promise<void> {
    const body = JSON.stringify({ schemaVersion: 1, unreachable }, null, 2);
    try {
      await this.container
        .getBlockBlobClient(ARM_HEALTH_BLOB)
        .upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    } catch (err) {
      throw storageError(err, `write '${ARM_HEALTH_BLOB}'`);
    }
  }
}
