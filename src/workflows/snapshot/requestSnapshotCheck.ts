/**
 * The HTTP dry run of a snapshot apply, within what an HTTP request may take: Azure's load balancer ends an HTTP-triggered
 * function's request after 230 s idle, and a whole target of 200 APIs × 20 operations is about 5,000 ARM reads. A check
 * whose read is bounded (an `--only` scope, or a scoped snapshot, of at most INLINE_CHECK_MAX_RESOURCES resources) is
 * answered at once; any other runs as an orchestration that reads the target in parts (snapshotCheckOrchestrator.ts).
 */
import { scopeOfOnly } from '../../domain/snapshot/applyPlan';
import type { Services } from '../../services';
import type { OrchestrationStarter } from '../starter';
import { checkSnapshotApply, type ApplyCheck, type ApplyRequest } from './applySnapshot';
import { snapshotCheckInstanceId, SnapshotOrchestrations } from './names';
import { applyTarget } from './prepareApply';

/**
 * Resources a check may read within one request: each is at most one ARM read (fewer where a list carries several), at
 * 8 in flight that is seconds even at a second a read, far inside 230 s.
 */
export const INLINE_CHECK_MAX_RESOURCES = 250;

export type CheckAnswer = { check: ApplyCheck } | { instanceId: string; started: boolean; target: string };

export async function requestSnapshotCheck(services: Services, starter: OrchestrationStarter, request: ApplyRequest): Promise<CheckAnswer> {
  const manifest = await services.snapshots.readManifest(request.snapshotName);
  // Refused now, not as a failed operation: not a standby, or a mirror in place without consent.
  const target = applyTarget(services, manifest.service.id, manifest.service.name, request.target, !!request.mirror, !!request.allowInPlace);
  const scoped = request.only?.length || manifest.scope ? await scopeSize(services, request, manifest) : undefined;
  if (scoped !== undefined && scoped <= INLINE_CHECK_MAX_RESOURCES) return { check: await checkSnapshotApply(services, request) };
  // Who asks is not part of the question: the same dry run asked twice while it runs is read once.
  const { requestedBy: _who, ...question } = request;
  const instanceId = snapshotCheckInstanceId(target.name, target.id, question);
  const { started } = await starter.start(SnapshotOrchestrations.check, instanceId, request);
  return { instanceId, started, target: target.name };
}

/** How many resources a scoped check reads on the target: the `--only` scope, or what a scoped snapshot covers. */
async function scopeSize(services: Services, request: ApplyRequest, manifest: Awaited<ReturnType<Services['snapshots']['readManifest']>>): Promise<number> {
  const document = await services.snapshots.readDocument(manifest);
  if (request.only?.length) return scopeOfOnly(document.resources, request.only).length;
  return document.resources.length + (manifest.scope?.length ?? 0);
}
