/** The snapshot orchestrations and activities, named once: functions/snapshot.ts registers them, orchestrators call them. */
import { hash8 } from '../../domain/instanceIds';

export const SnapshotOrchestrations = {
  take: 'snapshotOrchestrator',
  apply: 'snapshotApplyOrchestrator',
} as const;

export const SnapshotActivities = {
  take: 'takeSnapshot',
  planParts: 'planSnapshotParts',
  readPart: 'readSnapshotPart',
  finishParts: 'finishSnapshotParts',
  observeTake: 'observeSnapshotTake',
  checkApply: 'checkSnapshotApply',
  apply: 'applySnapshot',
  planApply: 'planSnapshotApply',
  applyStep: 'applySnapshotStep',
  finishApply: 'finishSnapshotApply',
} as const;

/** One snapshot per instance at a time; a second request joins the running one. */
export function snapshotInstanceId(serviceName: string, resourceId: string): string {
  return `snapshot-${serviceName.toLowerCase()}-${hash8(resourceId)}`;
}

/** One apply per target at a time. */
export function snapshotApplyInstanceId(targetName: string, targetId: string): string {
  return `snapshot-apply-${targetName.toLowerCase()}-${hash8(targetId)}`;
}
