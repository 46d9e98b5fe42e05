/**
 * Applying a snapshot: the dry run (`checkSnapshotApply`), and the apply itself (`applySnapshot`) — gated by the dry
 * run, writing in dependency order, verified by reading the target back, recorded with its RTO. The target is the
 * snapshot's own instance or one of its configured standbys; mirror mode into the instance itself needs consent.
 */
import { randomBytes } from 'node:crypto';
import { resolveInstance, restoreRelation } from '../../config/resolveService';
import { readConfiguration, readPaths } from '../../azure/snapshot/readConfiguration';
import { withoutRedacted } from '../../azure/snapshot/writeConfiguration';
import { planApply, sameContent, scopeOfOnly, type ApplyPlan, type Finding } from '../../domain/snapshot/applyPlan';
import type { ApplyRecord } from '../../domain/snapshot/applyRecord';
import type { SnapshotResource } from '../../domain/snapshot/captureResource';
import { withOverrides, withSecrets, type SecretSupply, type ValueOverride } from './applySupplies';
import type { ArmConfigClient } from '../../azure/snapshot/armConfigClient';
import type { SnapshotManifest } from '../../domain/snapshot/snapshotManifest';
import { applyRunStep, finishApplyRun, planApplyRun } from './applyInSteps';
import { readSecrets } from './readSecrets';
import type { SnapshotScope } from './takeSnapshot';
import type { ServiceRef } from '../../domain/resourceId';
import { UserError } from '../../errors';
import type { Services } from '../../services';

export interface ApplyRequest {
  snapshotName: string;
  /** Name or resource ID of the target. */
  target: string;
  only?: string[];
  mirror?: boolean;
  /** Consent to mirror a snapshot into its own instance (deletes what the snapshot lacks). */
  allowInPlace?: boolean;
  requestedBy: string;
  /** `sync` when the schedule keeps a standby in sync (recorded, so the next plan knows what the standby holds). */
  purpose?: 'apply' | 'sync';
  /** Secrets the snapshot lacks, each named by where the apply reads it (never the value). */
  set?: SecretSupply[];
  /** Environment values to use on the target instead of the source's. */
  overrides?: ValueOverride[];
}

export interface ApplyCheck {
  snapshotName: string;
  source: string;
  target: string;
  targetId: string;
  targetTier: string;
  verdict: ApplyPlan['verdict'];
  counts: ApplyPlan['counts'];
  findings: Finding[];
  /** The first writes, for a reader; all of them are in `counts`. */
  writes: ApplyPlan['writes'];
  skipped: ApplyPlan['skipped'];
}

export interface ApplyInput extends ApplyRequest {
  /** The target's snapshot taken just before (its way back, and its current state for the plan). */
  preApplySnapshot?: string;
  requestedAt: string;
}

/** The dry run: reads the snapshot and the target, plans, and says Fully, Partially or Not restorable. */
export async function checkSnapshotApply(services: Services, request: ApplyRequest): Promise<ApplyCheck> {
  const { plan, target, manifest, tier } = await planFor(services, request);
  return toCheck(request.snapshotName, manifest.service.name, target, tier, plan);
}

/**
 * The apply in this process (the CLI's break-glass path, benchmarks): the same bounded steps the orchestration runs as
 * activities (applyInSteps.ts), one after another.
 */
export async function applySnapshot(services: Services, input: ApplyInput): Promise<ApplyRecord> {
  const run = { ...input, runId: `in-process.${randomBytes(6).toString('hex')}` };
  const { steps } = await planApplyRun(services, run);
  for (const [index, step] of steps.entries()) await applyRunStep(services, { ...run, index, step });
  return finishApplyRun(services, { ...run, steps: steps.length });
}

/**
 * What the target's way back covers: an `--only` apply touches the named resources and what they need, so its
 * pre-apply snapshot holds those alone; a whole or mirror apply may touch anything, so its way back is the whole instance.
 */
export function preApplyScope(request: Pick<ApplyRequest, 'snapshotName' | 'only' | 'mirror'>): SnapshotScope | undefined {
  return request.only?.length && !request.mirror ? { snapshotName: request.snapshotName, only: request.only } : undefined;
}

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

/**
 * The snapshot (overridden, secrets supplied) and the target, checked; with `planned`, no more: a step of a planned
 * apply reads neither the target's state nor plans again.
 */
export async function planFor(services: Services, request: ApplyRequest & { preApplySnapshot?: string }, options: { planned: true }): Promise<Prepared>;
export async function planFor(services: Services, request: ApplyRequest & { preApplySnapshot?: string }): Promise<Prepared & { plan: ApplyPlan }>;
export async function planFor(services: Services, request: ApplyRequest & { preApplySnapshot?: string }, options?: { planned: true }) {
  const manifest = await services.snapshots.readManifest(request.snapshotName);
  const target = applyTarget(services, manifest.service.id, manifest.service.name, request.target, !!request.mirror, !!request.allowInPlace);
  const [document, instance, secrets] = await Promise.all([
    services.snapshots.readDocument(manifest),
    services.apim.getService(target),
    readSecrets(services, request.set ?? []),
  ]);
  const expected = withOverrides(document.resources, request.overrides ?? []);
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
  };
  if (options?.planned) return prepared;
  // The pre-apply snapshot was read a moment ago: it is the target's current state, without a second read.
  // With --only, the target is read within the scope alone (its size, not the instance's, sets the cost); so it is
  // for a scoped snapshot (an --only apply's way back), with the roots it covers, where the apply may have created.
  const current = request.preApplySnapshot
    ? (await services.snapshots.readDocument(await services.snapshots.readManifest(request.preApplySnapshot))).resources
    : request.only?.length
      ? (await readPaths(client, scopeOfOnly(document.resources, request.only))).resources
      : manifest.scope
        ? (await readPaths(client, [...document.resources.map((r) => r.path), ...manifest.scope])).resources
        : (await readConfiguration(client)).resources;
  const plan = planApply(
    { id: manifest.service.id, tier: manifest.service.sku.name, resources: supplied.resources, notCaptured: supplied.notCaptured },
    { id: target.id, name: target.name, tier: instance.sku.name, resources: current },
    { only: request.only, mirror: request.mirror, mirrorWithin: manifest.scope },
  );
  return { ...prepared, plan };
}

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
}

/** Reads the target back and compares every resource in scope with the snapshot's (redacted values aside). */
export async function verify(
  services: Services,
  target: ServiceRef,
  resources: SnapshotResource[],
  plan: Pick<ApplyPlan, 'scope' | 'writes'>,
  scoped: boolean,
) {
  const client = services.configClient(target);
  const deleted = plan.writes.filter((w) => w.op === 'delete').map((w) => w.path);
  const read = scoped ? await readPaths(client, [...plan.scope, ...deleted]) : await readConfiguration(client);
  const after = new Map(read.resources.map((r) => [r.path.toLowerCase(), r]));
  const wanted = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  const mismatched = plan.scope.filter((path) => {
    const expected = wanted.get(path.toLowerCase())!;
    const actual = after.get(path.toLowerCase());
    const comparable = (r: SnapshotResource) => r.properties && withoutRedacted(r.properties);
    return !actual || !sameContent(comparable(expected), comparable(actual));
  });
  const stillPresent = plan.writes.filter((w) => w.op === 'delete' && after.has(w.path.toLowerCase())).map((w) => w.path);
  return { checked: plan.scope.length, mismatched, stillPresent, armRequests: client.requests.count };
}

function toCheck(snapshotName: string, source: string, target: ServiceRef, tier: string, plan: ApplyPlan): ApplyCheck {
  return {
    snapshotName,
    source,
    target: target.name,
    targetId: target.id,
    targetTier: tier,
    verdict: plan.verdict,
    counts: plan.counts,
    findings: plan.findings,
    writes: plan.writes.slice(0, 200),
    skipped: plan.skipped,
  };
}
