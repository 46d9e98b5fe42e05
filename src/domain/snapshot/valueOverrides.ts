/**
 * Environment values a target uses instead of the source's: an operator's `--override <type>/<name>.<field>=<value>`
 * and a standby's configured `overrides` (`{ "backends/orders.url": "https://orders.neu.example" }`), which a sync
 * applies. Pure: parsing, and which of a standby's overrides a snapshot can take.
 */
import type { Finding } from './applyPlan';
import type { SnapshotResource } from './captureResource';
import { typeOfPath } from './resourceTypes';

export interface ValueOverride {
  path: string;
  /** A property of the resource, dotted for a nested one: `url`, `serviceUrl`, `credentials.header.x-host`. */
  field: string;
  value: string;
}

/** `<collection>/<name>[/<collection>/<name>].<field>`: a name holds no dot, so the first dot after it starts the field. */
const OVERRIDE_TARGET = /^([A-Za-z]+\/[^/.=]+(?:\/[A-Za-z]+\/[^/.=]+)*)\.([A-Za-z][\w.-]*)$/;

/** The resource and the field an override names, or undefined when it names no field of a resource type apim-dr knows. */
export function parseOverrideTarget(text: string): { path: string; field: string } | undefined {
  const m = OVERRIDE_TARGET.exec(text);
  if (!m || !typeOfPath(m[1]!)) return undefined;
  return { path: m[1]!, field: m[2]! };
}

/** The config's `overrides` object as the list a sync carries (not secrets: they may travel in payloads and records). */
export function standbyOverrideList(overrides: Record<string, string> | undefined): ValueOverride[] {
  return Object.entries(overrides ?? {}).flatMap(([key, value]) => {
    const target = parseOverrideTarget(key);
    return target ? [{ ...target, value }] : [];
  });
}

/**
 * Which of a standby's overrides this snapshot takes, beside the operator's own (an operator's override of the same
 * field wins). One whose resource the snapshot lacks is a notice, not a failure: a resource may come and go between
 * snapshots, and the sync goes on.
 */
export function standbyOverrides(
  resources: readonly SnapshotResource[],
  configured: readonly ValueOverride[],
  operator: readonly ValueOverride[],
  target: string,
): { overrides: ValueOverride[]; findings: Finding[] } {
  const held = new Set(resources.filter((r) => r.properties).map((r) => r.path.toLowerCase()));
  const key = (o: ValueOverride) => `${o.path}.${o.field}`.toLowerCase();
  const byOperator = new Set(operator.map(key));
  const overrides: ValueOverride[] = [];
  const findings: Finding[] = [];
  for (const o of configured) {
    if (byOperator.has(key(o))) continue;
    if (held.has(o.path.toLowerCase())) {
      overrides.push(o);
      continue;
    }
    findings.push({
      severity: 'notice',
      code: 'OverrideNotInSnapshot',
      resource: o.path,
      message: `services[].standbys[] '${target}' overrides "${o.path}.${o.field}": the snapshot holds no ${o.path}, so nothing was overridden`,
      fix: `nothing to do if ${o.path} was removed from the source; otherwise correct the name ('apim-dr snapshot show <snapshot>' lists the resources)`,
    });
  }
  return { overrides, findings };
}
