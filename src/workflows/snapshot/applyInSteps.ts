/**
 * An apply in bounded steps, one activity each: the plan (the dry run again, against the target as it is now, kept in
 * the state container), then the writes a wave at a time in chunks of at most WRITES_PER_STEP (the client bounds the
 * requests in flight), each chunk's outcome kept beside the plan, then the verification and the record. Payloads carry
 * the run's name and counts; the plan and outcomes stay in storage.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { JsonBlobStore } from '../../azure/jsonBlobStore';
import { APPLY_STAGING_PREFIX } from '../../azure/stateLayout';
import { stagingTags } from '../../domain/stagingSweepPlan';
import { snapshotApplyLog } from '../../azure/snapshot/applyLog';
import { writeConfiguration, type WriteOutcome } from '../../azure/snapshot/writeConfiguration';
import { applyObservations } from '../../domain/incidents';
import { applyRecordName, applyRecordSchema, type ApplyRecord } from '../../domain/snapshot/applyRecord';
import { boundFailed, boundVerification, type Verification } from '../../domain/snapshot/boundOutcome';
import { readApplyFindings, writeApplyFindings } from '../../azure/snapshot/applyFindingsStore';
import { boundFindings } from '../../domain/snapshot/boundFindings';
import { AzureError, UserError } from '../../errors';
import type { Services } from '../../services';
import type { ApplyInput } from './applySnapshot';
import { planFor, verify } from './prepareApply';
import { clearStagedParts, type StagedRead } from './snapshotParts';

/** Writes per activity: a wave of a 200-API instance is thousands of PUTs; a chunk of 500 is minutes at ARM's write pace. */
export const WRITES_PER_STEP = 500;

export interface ApplyRunInput extends ApplyInput {
  runId: string;
}

export interface ApplyStep {
  op: 'put' | 'delete';
  wave: number;
  /** Indexes into the plan's writes. */
  from: number;
  to: number;
}

export interface ApplyStepInput extends ApplyRunInput {
  index: number;
  step: ApplyStep;
}

const planBlob = (runId: string) => `${APPLY_STAGING_PREFIX}${runId}/plan.json`;
const outcomeBlob = (runId: string, index: number) => `${APPLY_STAGING_PREFIX}${runId}/${String(index).padStart(4, '0')}.json`;
const writeSchema = z.object({ op: z.enum(['create', 'change', 'delete']), path: z.string(), wave: z.number() });
const stagedSchema = z.object({
  base: applyRecordSchema.omit({ state: true, failed: true, verification: true, completedAt: true, rtoMs: true, armRequests: true }),
  writes: z.array(writeSchema),
  scope: z.array(z.string()),
  armRequests: z.number(),
});
const outcomeSchema = z.object({
  written: z.array(z.string()),
  deleted: z.array(z.string()),
  failed: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
  armRequests: z.number(),
});
const STAGED = { what: 'apim-dr apply plan', code: 'InvalidApplyPlan' };

/** Plans the apply and keeps the plan; refuses (recorded) what is not restorable. Returns the steps to run. */
export async function planApplyRun(services: Services, input: ApplyRunInput): Promise<{ steps: ApplyStep[] }> {
  const { plan, target, manifest, tier, client, secrets, overrides } = await planFor(services, input);
  const recordName = applyRecordName(target.name, services.clock.now(), randomBytes(4).toString('hex'));
  // The record (an activity's output, the orchestration's output) keeps the findings bounded; every one is kept apart.
  const bounded = boundFindings(plan.findings);
  const findingsBlob =
    bounded.findingsOmitted > 0 ? await writeApplyFindings(services.snapshots.container, recordName, { findings: plan.findings }) : undefined;
  const base = {
    schemaVersion: 1 as const,
    recordName,
    snapshotName: input.snapshotName,
    source: manifest.service.name,
    target: target.name,
    targetId: target.id,
    requestedBy: input.requestedBy,
    ...(input.correlationId ? { correlationId: input.correlationId } : {}),
    purpose: input.purpose ?? 'apply',
    mode: input.mirror ? ('mirror' as const) : ('merge' as const),
    only: input.only ?? [],
    // What was supplied, by name: a secret's value is never in a record.
    ...suppliedByName(input.set?.map((s) => s.path) ?? [], secrets),
    ...(overrides.length ? { overrides } : {}),
    ...(input.preApplySnapshot ? { preApplySnapshot: input.preApplySnapshot } : {}),
    verdict: plan.verdict,
    counts: plan.counts,
    ...bounded,
    ...(findingsBlob ? { findingsBlob } : {}),
    startedAt: input.requestedAt,
  };
  if (plan.verdict === 'Not restorable') {
    const record: ApplyRecord = {
      ...base,
      state: 'refused',
      failed: [],
      completedAt: services.clock.now().toISOString(),
      rtoMs: 0,
      armRequests: client.requests.count,
    };
    await snapshotApplyLog(services.snapshots.container).write(record);
    await services.notifier.observe(applyObservations(record));
    const first = plan.findings.find((f) => f.severity === 'blocking')!;
    services.logger.event('apim-dr.snapshot.apply.refused', { ...applyEventBase(record), code: first.code, reason: first.message }, 'warn');
    throw new UserError(
      `snapshot '${input.snapshotName}' is not restorable into '${target.name}' (${tier}): ${first.message}; ${first.fix}`,
      'refused',
      'NotRestorable',
    );
  }
  services.logger.event('apim-dr.snapshot.apply.started', { ...applyEventBase(base), verdict: plan.verdict, writes: plan.writes.length });
  await new JsonBlobStore(services.snapshots.container).write(
    planBlob(input.runId),
    { base, writes: plan.writes, scope: plan.scope, armRequests: client.requests.count },
    'any',
    stagingTags(input.runId, services.clock.now()),
  );
  return { steps: stepsOf(plan.writes) };
}

/** PUTs wave by wave (a wave's chunks one after another), then deletes: each step one wave's chunk. */
export function stepsOf(writes: readonly { op: string; wave: number }[]): ApplyStep[] {
  const steps: ApplyStep[] = [];
  let start = 0;
  for (let i = 1; i <= writes.length; i++) {
    const op = (w: { op: string }) => (w.op === 'delete' ? 'delete' : 'put');
    const boundary = i === writes.length || op(writes[i]!) !== op(writes[start]!) || writes[i]!.wave !== writes[start]!.wave || i - start === WRITES_PER_STEP;
    if (!boundary) continue;
    steps.push({ op: op(writes[start]!), wave: writes[start]!.wave, from: start, to: i });
    start = i;
  }
  return steps;
}

/** Writes one step's chunk of the plan; its outcome stays in the state container (written whole again on a re-run). */
export async function applyRunStep(services: Services, input: ApplyStepInput): Promise<{ written: number; failed: number }> {
  const store = new JsonBlobStore(services.snapshots.container);
  const staged = await readStaged(store, input.runId);
  const { writable, client, clientIds } = await planFor(services, input, { planned: true });
  const outcome: WriteOutcome = await writeConfiguration(client, writable, staged.writes.slice(input.step.from, input.step.to), { targetClientIds: clientIds });
  await store.write(
    outcomeBlob(input.runId, input.index),
    { ...outcome, armRequests: client.requests.count },
    'any',
    stagingTags(input.runId, services.clock.now()),
  );
  return { written: outcome.written.length + outcome.deleted.length, failed: outcome.failed.length };
}

/** Reads the target back, records the apply with its RTO, and clears the run's plan and outcomes away. */
export async function finishApplyRun(services: Services, input: ApplyRunInput & { steps: number; readBack?: StagedRead }): Promise<ApplyRecord> {
  const store = new JsonBlobStore(services.snapshots.container);
  const staged = await readStaged(store, input.runId);
  const outcome = { written: 0, deleted: 0, failed: [] as ApplyRecord['failed'], armRequests: staged.armRequests };
  for (let index = 0; index < input.steps; index++) {
    const step = await store.read(outcomeBlob(input.runId, index), outcomeSchema, { what: 'apim-dr apply step outcome', code: 'InvalidApplyStep' });
    if (!step) throw new AzureError(`step ${index} of apply run '${input.runId}' left no outcome in the state container`, 'ApplyStepMissing');
    outcome.written += step.value.written.length;
    outcome.deleted += step.value.deleted.length;
    outcome.failed.push(...step.value.failed);
    outcome.armRequests += step.value.armRequests;
  }
  const { target, expected, manifest } = await planFor(services, input, { planned: true });
  // Read back against the snapshot as overridden; a supplied secret is not readable back (GET leaves it out), as in the snapshot.
  const verification = await verify(
    services,
    target,
    expected,
    { scope: staged.scope, writes: staged.writes },
    !!input.only?.length || !!manifest.scope,
    input.readBack,
  );
  const completedAt = services.clock.now();
  const clean = outcome.failed.length === 0 && verification.mismatched.length === 0 && verification.stillPresent.length === 0;
  const { armRequests: reads, ...kept } = verification;
  // A write failing or reading back different everywhere is one cause thousands of times: the record keeps the first.
  const failed = boundFailed(outcome.failed);
  const checked = boundVerification(kept);
  const findingsBlob = await keepFullLists(
    services,
    staged.base,
    outcome.failed,
    kept,
    !!(failed.failedOmitted || checked.mismatchedOmitted || checked.stillPresentOmitted),
  );
  const record: ApplyRecord = {
    ...staged.base,
    ...(findingsBlob ? { findingsBlob } : {}),
    state: clean ? (staged.base.verdict === 'Fully restorable' ? 'succeeded' : 'partial') : outcome.written || outcome.deleted ? 'partial' : 'failed',
    ...failed,
    verification: checked,
    completedAt: completedAt.toISOString(),
    rtoMs: completedAt.getTime() - Date.parse(input.requestedAt),
    armRequests: outcome.armRequests + reads,
  };
  await snapshotApplyLog(services.snapshots.container).write(record);
  await services.notifier.observe(applyObservations(record));
  services.logger.event(`apim-dr.snapshot.apply.${record.state}`, {
    ...applyEventBase(record),
    written: outcome.written,
    deleted: outcome.deleted,
    failed: outcome.failed.length,
    rtoMs: record.rtoMs,
  });
  await services.snapshots.container.getBlockBlobClient(planBlob(input.runId)).deleteIfExists();
  if (input.readBack) await clearStagedParts(services, input.readBack);
  for (let index = 0; index < input.steps; index++) await services.snapshots.container.getBlockBlobClient(outcomeBlob(input.runId, index)).deleteIfExists();
  return record;
}

/**
 * When the record leaves out failed writes or paths, the findings blob gets every one (with every finding, read from
 * the blob the plan wrote, or the record's own when none were left out). Returns the blob the record names, if any.
 */
async function keepFullLists(
  services: Services,
  base: z.infer<typeof stagedSchema>['base'],
  failed: ApplyRecord['failed'],
  verification: Verification,
  omitted: boolean,
): Promise<string | undefined> {
  if (!omitted) return base.findingsBlob;
  const findings = base.findingsBlob ? ((await readApplyFindings(services.snapshots.container, base.findingsBlob))?.findings ?? base.findings) : base.findings;
  const { mismatched, stillPresent } = verification;
  return writeApplyFindings(services.snapshots.container, base.recordName, { findings, failed, mismatched, stillPresent });
}

/** What an apply supplied and a sync's config could not (setting names): names only, never a value. */
function suppliedByName(set: string[], secrets: { supplied: string[]; missingSettings: string[] }) {
  const supplied = [...set, ...secrets.supplied];
  return { ...(supplied.length ? { supplied } : {}), ...(secrets.missingSettings.length ? { missingSettings: secrets.missingSettings } : {}) };
}

async function readStaged(store: JsonBlobStore, runId: string) {
  const staged = await store.read(planBlob(runId), stagedSchema, STAGED);
  if (!staged) throw new AzureError(`apply run '${runId}' has no plan in the state container`, 'ApplyPlanMissing');
  return staged.value;
}

/** What every event of an apply names: its record, snapshot, target, who asked, and its correlation ID (its log). */
function applyEventBase(record: Pick<ApplyRecord, 'recordName' | 'snapshotName' | 'target' | 'requestedBy' | 'correlationId' | 'purpose'>) {
  return {
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
    recordName: record.recordName,
    snapshotName: record.snapshotName,
    target: record.target,
    requestedBy: record.requestedBy,
    purpose: record.purpose,
  };
}
