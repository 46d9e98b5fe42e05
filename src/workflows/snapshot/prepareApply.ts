/**
 * What an apply and its dry run share: the target checked against the snapshot's source, the snapshot as overridden
 * and with its secrets supplied, the plan against the target as it is, and the verification that reads it back.
 */
import { resolveInstance, restoreRelation } from '../../config/resolveService';
import { readConfiguration, readPaths } from '../../azure/snapshot/readConfiguration';
import { withoutRedacted } from '../../azure/snapshot/writeConfiguration';
import type { ArmConfigClient } from '../../azure/snapshot/armConfigClient';
import { planApply, sameContent, scopeOfOnly, type ApplyPlan } from '../../domain/snapshot/applyPlan';
import type { SnapshotResource } from '../../domain/snapshot/captureResource';
import type { SnapshotManifest } from '../../domain/snapshot/snapshotManifest';
import { sameServiceId, type ServiceRef } from '../../domain/resourceId';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import type { ApplyRequest } from './applySnapshot';
import { withOverrides, withSecrets, type ValueOverride } from './applySupplies';
import { readSecrets } from './readSecrets';
import { standbySecrets, withSecretFindings } from '../../domain/snapshot/standbySecrets';
import { standbyOverrideList, standbyOverrides } from '../../domain/snapshot/valueOverrides';
import { wholeTargetCounts } from './wholeTargetCounts';
import { readStagedParts, type StagedRead } from './snapshotParts';

/** The target, checked: the snapshot's own instance or a configured standby of it; mirror in place only with consent. */
export function applyTarget(services: Services, sourceId: string, sourceName: string, target: string, mirror: boolean, allowInPlace: boolean): ServiceRef {
  const resolved = resolveInstance(services.config, target, 'target');
  const relation = restoreRelation(sourceId, resolved);
  if (relation === 'none' || relation === 'drill-target') {
    throw new UserError(
      `'${resolved.ref.name}' is not a configured standby of '${sourceName}': a snapshot applies to its own instance or a standby`,
      'refused',
      'NotAStandby',
    );
  }
  if (relation === 'in-place' && mirror && !allowInPlace) {
    throw new UserError(
      `mirroring '${sourceName}' into itself deletes what the snapshot lacks: send allowInPlace: true (CLI: --in-place) to consent; a snapshot of it is taken first`,
      'refused',
      'InPlaceNotAllowed',
    );
  }
  return resolved.ref;
}

/** Activity: the target checked against the snapshot's source (no ARM read), before anything of it is read. */
export async function checkApplyTarget(services: Services, request: ApplyRequest): Promise<{ target: string; targetId: string }> {
  const manifest = await services.snapshots.readManifest(request.snapshotName);
  const target = applyTarget(services, manifest.service.id, manifest.service.name, request.target, !!request.mirror, !!request.allowInPlace);
  return { target: target.name, targetId: target.id };
}

/**
 * The snapshot (overridden, secrets supplied) and the target, checked; with `planned`, no more: a step of a planned
 * apply reads neither the target's state nor plans again.
 */
export async function planFor(services: Services, request: PlanRequest, options: { planned: true }): Promise<Prepared>;
export async function planFor(services: Services, request: PlanRequest): Promise<Prepared & { plan: ApplyPlan }>;
export async function planFor(services: Services, request: PlanRequest, options?: { planned: true }) {
  const manifest = await services.snapshots.readManifest(request.snapshotName);
  const target = applyTarget(services, manifest.service.id, manifest.service.name, request.target, !!request.mirror, !!request.allowInPlace);
  const [document, instance, secrets] = await Promise.all([
    services.snapshots.readDocument(manifest),
    services.apim.getService(target),
    readSecrets(services, request.set ?? []),
  ]);
  // The standby's configured overrides (a sync carries them; an operator's apply into the standby reads the config):
  // one of a resource the snapshot lacks is a notice; an operator's own override of the same field wins.
  const configured = request.standbyOverrides ?? configuredOverrides(services, manifest.service.id, target.id);
  const fromStandby = standbyOverrides(document.resources, configured, request.overrides ?? [], target.name);
  const overrides = [...(request.overrides ?? []), ...fromStandby.overrides];
  const expected = withOverrides(document.resources, overrides);
  // A sync's configured secrets are read here, where the apply runs; an operator's --set wins over them.
  const fromConfig = standbySecrets(request.standbySecrets ?? [], document.notCaptured, services.settings, {
    target: target.name,
    snapshotName: manifest.snapshotName,
  });
  for (const [name, value] of fromConfig.values) if (![...secrets.keys()].some((k) => k.toLowerCase() === name.toLowerCase())) secrets.set(name, value);
  const supplied = withSecrets(expected, document.notCaptured, secrets);
  const client = services.configClient(target);
  const prepared: Prepared = {
    target,
    manifest,
    expected,
    writable: supplied.resources,
    tier: instance.sku.name,
    client,
    clientIds: instance.identity.userAssignedClientIds,
    secrets: { supplied: fromConfig.supplied, missingSettings: fromConfig.missingSettings },
    overrides,
  };
  if (options?.planned) return prepared;
  // The pre-apply snapshot was read a moment ago: it is the target's current state, without a second read.
  // With --only, the target is read within the scope alone (its size, not the instance's, sets the cost); so it is
  // for a scoped snapshot (an --only apply's way back), with the roots it covers, where the apply may have created.
  const before = request.preApplySnapshot ? await services.snapshots.readManifest(request.preApplySnapshot) : undefined;
  // The orchestration's dry run reads the target in parts first (staged), so no one activity reads it whole.
  const current = before
    ? (await services.snapshots.readDocument(before)).resources
    : request.targetRead
      ? (await readStagedParts(services, request.targetRead)).resources
      : request.only?.length
        ? (await readPaths(client, scopeOfOnly(document.resources, request.only))).resources
        : manifest.scope
          ? (await readPaths(client, [...document.resources.map((r) => r.path), ...manifest.scope])).resources
          : (await readConfiguration(client)).resources;
  // Part of the target read, part of its counts seen: the tier's limits are counted on the whole target.
  const partial = before ? !!before.scope : !!request.only?.length || !!manifest.scope;
  const inScope = request.only?.length ? scopeOfOnly(document.resources, request.only) : document.resources.map((r) => r.path);
  const counts = partial ? await wholeTargetCounts(client, instance.sku.name, inScope) : undefined;
  const plan = planApply(
    { id: manifest.service.id, tier: manifest.service.sku.name, resources: supplied.resources, notCaptured: supplied.notCaptured },
    { id: target.id, name: target.name, tier: instance.sku.name, resources: current, ...(counts ? { counts } : {}) },
    { only: request.only, mirror: request.mirror, mirrorWithin: manifest.scope, overridden: overrides },
  );
  return { ...prepared, plan: withSecretFindings(plan, [...fromConfig.findings, ...fromStandby.findings]) };
}

/** `standbys[].overrides` of the target, as the source's entry in the config names it (none for any other target). */
function configuredOverrides(services: Services, sourceId: string, targetId: string): ValueOverride[] {
  const source = services.config.services.find((s) => sameServiceId(s.id, sourceId));
  return standbyOverrideList(source?.standbys.find((b) => sameServiceId(b.id, targetId))?.overrides);
}

/** An apply's request, with what the target's state is read from: its pre-apply snapshot, or a read staged in parts. */
type PlanRequest = ApplyRequest & { preApplySnapshot?: string; targetRead?: StagedRead };

interface Prepared {
  target: ServiceRef;
  manifest: SnapshotManifest;
  /** The snapshot's resources as overridden: what the target should read back as. */
  expected: SnapshotResource[];
  /** The same with the supplied secrets: what is written. */
  writable: SnapshotResource[];
  tier: string;
  client: ArmConfigClient;
  clientIds: string[];
  /** A sync's configured secrets: those supplied, and the app settings that were missing (names only). */
  secrets: { supplied: string[]; missingSettings: string[] };
  /** The overrides applied: the operator's and those of the standby's config the snapshot could take. */
  overrides: ValueOverride[];
}

/** Reads the target back and compares every resource in scope with the snapshot's (redacted values aside). */
export async function verify(
  services: Services,
  target: ServiceRef,
  resources: SnapshotResource[],
  plan: Pick<ApplyPlan, 'scope' | 'writes'>,
  scoped: boolean,
  readBack?: StagedRead,
) {
  const client = services.configClient(target);
  const deleted = plan.writes.filter((w) => w.op === 'delete').map((w) => w.path);
  // The orchestration reads a whole target back in parts first (staged); a scoped apply reads its scope alone.
  const read = scoped
    ? await readPaths(client, [...plan.scope, ...deleted])
    : readBack
      ? await readStagedParts(services, readBack)
      : await readConfiguration(client);
  const after = new Map(read.resources.map((r) => [r.path.toLowerCase(), r]));
  const wanted = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  // What the snapshot holds no part of (a certificate written from the PFX supplied) is checked to exist, nothing more.
  const suppliedOnly = plan.scope.filter((path) => !wanted.has(path.toLowerCase()));
  const missing = new Set((await Promise.all(suppliedOnly.map(async (path) => ((await client.exists(path)) ? [] : [path])))).flat());
  const mismatched = plan.scope.filter((path) => {
    const expected = wanted.get(path.toLowerCase());
    if (!expected) return missing.has(path);
    const actual = after.get(path.toLowerCase());
    const comparable = (r: SnapshotResource) => r.properties && withoutRedacted(r.properties);
    return !actual || !sameContent(comparable(expected), comparable(actual));
  });
  const stillPresent = plan.writes.filter((w) => w.op === 'delete' && after.has(w.path.toLowerCase())).map((w) => w.path);
  return { checked: plan.scope.length, mismatched, stillPresent, armRequests: client.requests.count };
}
