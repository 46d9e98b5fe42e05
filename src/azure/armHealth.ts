/**
 * Where the schedule tick keeps what it last learned about ARM: per subscription, since when ARM has not answered
 * (`state/arm-health.json` in the state container). Written only when that changes, by the tick; read by the tick and the status.
 */
import { z } from 'zod';
import type { JsonBlobStore } from './jsonBlobStore';
import { ARM_HEALTH_BLOB } from './stateLayout';

const armHealthSchema = z.object({
  schemaVersion: z.literal(1),
  /** Subscription ID → when the first failed probe was, with what ARM (or the network) said. */
  unreachable: z.record(z.string(), z.object({ since: z.string(), message: z.string() })),
});

export type ArmOutages = z.output<typeof armHealthSchema>['unreachable'];

export class ArmHealth {
  constructor(private readonly store: JsonBlobStore) {}

  async read(): Promise<ArmOutages> {
    const stored = await this.store.read(ARM_HEALTH_BLOB, armHealthSchema, {
      what: 'apim-dr state blob',
      code: 'InvalidStateBlob',
      recovery: 'the next schedule tick rewrites it',
    });
    return stored?.value.unreachable ?? {};
  }

  async write(unreachable: ArmOutages): Promise<void> {
    await this.store.write(ARM_HEALTH_BLOB, { schemaVersion: 1, unreachable }, 'any');
  }
}
