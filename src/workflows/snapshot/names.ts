/** The snapshot orchestrations and activities, named once: functions/snapshot.ts registers them, orchestrators call them. */
import { hash8, targetLockId } from '../../domain/instanceIds';

export const SnapshotOrchestrations = {
  take: 'snapshotOrchestrator',
  apply: 'snapshotApplyOrchestrator',
  check: 'snapshotApplyCheckOrchestrator',
} as const;

export const SnapshotActivities = {
  take: 'takeSnapshot',
  planParts: 'planSnapshotParts',
  readPart: 'readSnapshotPart',
  finishParts: 'finishSnapshotParts',
  clearParts: 'clearSnapshotParts',
  observeTake: 'observeSnapshotTake',
  checkApply: 'checkSnapshotApply',
  checkTarget: 'checkSnapshotApplyTarget',
  // The same two for the dry-run orchestration: a user error is its answer (code and kind kept), not its failure.
  checkApplyOutcome: 'checkSnapshotApplyOutcome',
  checkTargetOutcome: 'checkSnapshotApplyTargetOutcome',
  apply: 'applySnapshot',
  planApply: 'planSnapshotApply',
  applyStep: 'applySnapshotStep',
  finishApply: 'finishSnapshotApply',
} as const;

/** One snapshot per instance at a time; a second request joins the running one. */
export function snapshotInstanceId(serviceName: string, resourceId: string): string {
  return `snapshot-${serviceName.toLowerCase()}-${hash8(resourceId)}`;
}

/**
 * One apply per target at a time, under the target's lock (the ID native restores and migrations run under): while
 * it runs, status shows the instance busy, and a restore, a backup, a migration or another apply into it waits or is refused.
 */
export function snapshotApplyInstanceId(targetName: string, targetId: string): string {
  return targetLockId(targetName, targetId);
}

/**
 * A dry run of a whole target, as an orchestration (a reader's: no lock). Named after the target and the request, so
 * the same question asked again while it runs joins it rather than reading the target a second time.
 */
export function snapshotCheckInstanceId(targetName: string, targetId: string, request: object): string {
  return `snapshot-check-${targetName.toLowerCase()}-${hash8(`${targetId}\n${JSON.stringify(request)}`)}`;
}
