/**
 * A circuit per subscription: before the tick starts new backups in a subscription, one cheap read shows that ARM
 * answers there. While it does not, that subscription's new work waits (no request storm during an outage), the
 * status says since when, and one incident covers the outage instead of one per instance. The first tick whose
 * probe succeeds closes the circuit, and due and missed backups start within the usual limits.
 */
import type { ArmOutages } from '../../azure/armHealth';
import type { ServiceRef } from '../../domain/resourceId';
import { ensureError, UserError } from '../../errors';
import type { Services } from '../../services';

/** Probes one instance per subscription; returns the outages as they stand after the probes. */
export async function probeArm(services: Services, before: ArmOutages, probes: Map<string, ServiceRef>, correlationId: string): Promise<ArmOutages> {
  const now = services.clock.now().toISOString();
  const after: ArmOutages = { ...before };
  await Promise.all(
    [...probes].map(async ([subscriptionId, ref]) => {
      try {
        await services.apim.getService(ref);
        delete after[subscriptionId];
      } catch (err) {
        // ARM answered with a fixable refusal (a role, a deleted instance): it is reachable.
        if (err instanceof UserError) delete after[subscriptionId];
        else after[subscriptionId] = before[subscriptionId] ?? { since: now, message: ensureError(err).message };
      }
    }),
  );
  const changed = Object.keys(before).length !== Object.keys(after).length || Object.keys(after).some((s) => !before[s]);
  if (!changed) return after;
  await services.armHealth.write(after);
  for (const [subscriptionId, outage] of Object.entries(after)) {
    if (!before[subscriptionId])
      services.logger.event('apim-dr.arm.unreachable', { subscriptionId, since: outage.since, error: outage.message, correlationId }, 'warn');
  }
  for (const subscriptionId of Object.keys(before)) {
    if (!after[subscriptionId]) services.logger.event('apim-dr.arm.reachable', { subscriptionId, since: before[subscriptionId]!.since, correlationId });
  }
  await services.notifier.observe(
    [...probes.keys()].map((subscriptionId) => ({
      kind: 'arm.unreachable' as const,
      subject: subscriptionId,
      active: after[subscriptionId] !== undefined,
      at: now,
      detail: after[subscriptionId]?.message,
    })),
  );
  return after;
}
