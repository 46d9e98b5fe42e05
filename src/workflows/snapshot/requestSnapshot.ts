/** Starts (or joins) the singleton snapshot orchestration of one configured instance. */
import { randomUUID } from 'node:crypto';
import type { OrchestrationStarter } from '../starter';
import { lockConflict, lockHolder } from '../targetLock';
import type { Services } from '../../services';
import { snapshotInstanceId, SnapshotOrchestrations } from './names';
import { configuredInstance, type TakeSnapshotInput } from './takeSnapshot';
import type { SnapshotTrigger } from '../../domain/snapshot/snapshotManifest';

export async function requestSnapshot(
  services: Services,
  starter: OrchestrationStarter,
  service: string,
  trigger: SnapshotTrigger,
  requestedBy: string,
): Promise<{ instanceId: string; service: string; started: boolean }> {
  const ref = configuredInstance(services, service);
  // A snapshot taken while a restore or an apply overwrites the instance would hold half of each: taken once it ends.
  if (await lockHolder(starter, ref.name, ref.id)) throw await lockConflict(starter, ref.name, ref.id, 'a snapshot of it');
  const instanceId = snapshotInstanceId(ref.name, ref.id);
  const input: TakeSnapshotInput = { serviceId: ref.id, trigger, requestedBy, correlationId: randomUUID() };
  const { started } = await starter.start(SnapshotOrchestrations.take, instanceId, input);
  return { instanceId, service: ref.name, started };
}
