/** A Standard v2 instance and its empty Standard v2 standby, beside the sample fleet, protected by snapshots. */
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION, type RunningSandbox } from '../../src/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../src/sandbox/model';

export const V2 = 'contoso-apim-v2-weu';
export const V2_STANDBY = 'contoso-apim-v2-neu';

const v2 = (name: string, location: string): SandboxServiceSpec => ({
  subscriptionId: SANDBOX_SUBSCRIPTION,
  resourceGroup: `rg-${name}`,
  name,
  location,
  sku: { name: 'StandardV2', capacity: 1 },
  configuration: { apis: [], products: [], namedValues: [] },
});

export const V2_SERVICES: SandboxServiceSpec[] = [...SAMPLE_SERVICES, v2(V2, 'West Europe'), v2(V2_STANDBY, 'North Europe')];

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
