/**
 * Applying a snapshot: the dry run (`checkSnapshotApply`), and the apply itself (`applySnapshot`) — gated by the dry
 * run, writing in dependency order, verified by reading the target back, recorded with its RTO. The target is the
 * snapshot's own instance or one of its configured standbys; mirror mode into the instance itself needs consent.
 */
import { randomBytes } from 'node:crypto';
import type { ApplyPlan, Finding } from '../../domain/snapshot/applyPlan';
import { boundFindings, boundSkipped, type FindingGroup } from '../../domain/snapshot/boundFindings';
import type { ApplyRecord } from '../../domain/snapshot/applyRecord';
import type { SecretSupply, ValueOverride } from './applySupplies';
import type { StandbySecret } from '../../domain/snapshot/standbySecrets';
import { applyRunStep, finishApplyRun, planApplyRun } from './applyInSteps';
import { planFor } from './prepareApply';
import type { SnapshotScope } from './takeSnapshot';
import type { StagedRead } from './snapshotParts';
import type { ServiceRef } from '../../domain/resourceId';
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
  /** The operation's correlation ID, given where it is requested: its events are kept under it (`apim-dr logs`). */
  correlationId?: string;
  /** `sync` when the schedule keeps a standby in sync (recorded, so the next plan knows what the standby holds). */
  purpose?: 'apply' | 'sync';
  /** Secrets the snapshot lacks, each named by where the apply reads it (never the value). */
  set?: SecretSupply[];
  /** Environment values to use on the target instead of the source's. */
  overrides?: ValueOverride[];
  /**
   * A sync's secrets, as the standby's config names them (app setting names only): supplied where the snapshot left
   * them out; a missing setting is a finding, not a failure (standbySecrets.ts).
   */
  standbySecrets?: StandbySecret[];
  /**
   * A sync's overrides, as the standby's config gives them: applied as `overrides` are, but one of a resource the
   * snapshot lacks is a notice, not a refusal (valueOverrides.ts).
   */
  standbyOverrides?: ValueOverride[];
}

export interface ApplyCheck {
  snapshotName: string;
  source: string;
  target: string;
  targetId: string;
  targetTier: string;
  verdict: ApplyPlan['verdict'];
  counts: ApplyPlan['counts'];
  /** The first findings of each group (all of them with `all`): a large instance has thousands alike. */
  findings: Finding[];
  /** Every finding counted, by severity, code and fix, with the first resources as examples. */
  findingGroups: FindingGroup[];
  findingsOmitted: number;
  /** The first writes, for a reader; all of them are in `counts`. */
  writes: ApplyPlan['writes'];
  /** The first paths skipped for each reason (all of them with `all`). */
  skipped: ApplyPlan['skipped'];
  skippedOmitted: number;
  /** The apply reads and verifies within a scope (`--only`, or a scoped snapshot), not the whole target. */
  scoped: boolean;
}

export interface ApplyInput extends ApplyRequest {
  /** The target's snapshot taken just before (its way back, and its current state for the plan). */
  preApplySnapshot?: string;
  requestedAt: string;
}

/**
 * The dry run: reads the snapshot and the target, plans, and says Fully, Partially or Not restorable. The apply
 * orchestration hands it the target read in parts (`targetRead`); the HTTP dry run and the CLI read it here. Its answer
 * is bounded (the first findings and skipped paths of each kind, every one counted); `all` gives every one, for a
 * caller in this process (the CLI's `--all`) — never for a Durable payload.
 */
export async function checkSnapshotApply(
  services: Services,
  request: ApplyRequest & { targetRead?: StagedRead },
  options: { all?: boolean } = {},
): Promise<ApplyCheck> {
  const { plan, target, manifest, tier } = await planFor(services, request);
  const scoped = !!request.only?.length || !!manifest.scope;
  return toCheck(request.snapshotName, manifest.service.name, target, tier, plan, scoped, options.all ? Infinity : undefined);
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

export function toCheck(
  snapshotName: string,
  source: string,
  target: ServiceRef,
  tier: string,
  plan: ApplyPlan,
  scoped: boolean,
  examples?: number,
): ApplyCheck {
  return {
    snapshotName,
    source,
    target: target.name,
    targetId: target.id,
    targetTier: tier,
    verdict: plan.verdict,
    counts: plan.counts,
    ...boundFindings(plan.findings, examples),
    writes: plan.writes.slice(0, 200),
    ...boundSkipped(plan.skipped, examples),
    scoped,
  };
}
