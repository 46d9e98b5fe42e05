/** A Standard v2 instance and its empty Standard v2 standby (the demo's), beside the sample fleet. */
import { canonicalServiceId } from '../../src/domain/resourceId';
import { DEMO_V2, DEMO_V2_STANDBY, demoV2Specs } from '../../dev/sandbox/demoV2';
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';

export const V2 = DEMO_V2;
export const V2_STANDBY = DEMO_V2_STANDBY;

export const V2_SERVICES: SandboxServiceSpec[] = [...SAMPLE_SERVICES, ...demoV2Specs(SANDBOX_SUBSCRIPTION)];

/** An empty instance of any tier in the sandbox's subscription (its resource group named after it). */
export function emptyInstance(name: string, tier: string, location = 'North Europe'): SandboxServiceSpec {
  const configuration = { apis: [], products: [], namedValues: [] };
  return { subscriptionId: SANDBOX_SUBSCRIPTION, resourceGroup: `rg-${name}`, name, location, sku: { name: tier, capacity: 1 }, configuration };
}

export const idOf = (name: string) => {
  const spec = V2_SERVICES.find((s) => s.name === name)!;
  return canonicalServiceId(spec.subscriptionId, spec.resourceGroup, spec.name);
};

/** The sandbox's config, with the v2 instance protected (its standby listed) and the Premium primary's standbys widened to the v2 standby. */
export function v2Config(sandbox: RunningSandbox): Record<string, unknown> {
  const base = sandbox.config() as { services: { id: string; standbys?: { id: string; sync: string }[] }[] };
  const services = base.services
    .filter((s) => !s.id.endsWith(`/${V2_STANDBY}`))
    .map((s) => {
      if (s.id.endsWith(`/${V2}`)) return { id: s.id, standbys: [{ id: idOf(V2_STANDBY), sync: 'manual' }] };
      if (s.id.endsWith('/contoso-apim-weu')) return { ...s, standbys: [...(s.standbys ?? []), { id: idOf(V2_STANDBY), sync: 'manual' }] };
      return s;
    });
  return { ...base, services };
}

/** `v2Config` with the v2 instance protected by snapshots (`props`: its RPO, its snapshots' schedule…). */
export function v2SnapshotConfig(
  sandbox: RunningSandbox,
  props: Record<string, unknown> = { snapshots: { afterChange: false } },
): { services: Record<string, unknown>[] } {
  const config = v2Config(sandbox) as { services: Record<string, unknown>[] };
  for (const s of config.services) if (String(s.id).endsWith(`/${V2}`)) Object.assign(s, props);
  return config;
}
