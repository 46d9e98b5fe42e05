/** Durable orchestration instance IDs derived from the service, so one operation per instance runs at a time. */
import { createHash } from 'node:crypto';

/** Eight hex chars of the lower-cased resource ID: tells apart same-named instances in different resource groups. */
export function hash8(resourceId: string): string {
  return createHash('sha256').update(resourceId.toLowerCase()).digest('hex').slice(0, 8);
}

// Durable instance IDs are at most 100 chars and may not contain / \ # ?; a service name is at most 50 chars.
export function backupInstanceId(serviceName: string, resourceId: string): string {
  return `backup-${serviceName.toLowerCase()}-${hash8(resourceId)}`;
}

/**
 * The lock on a target: the instance ID of the one restore, in-place migration or snapshot apply running into it at a time. A backup
 * of the instance waits while it is held. Its `restore-` prefix stays: running orchestrations already carry it.
 */
export function targetLockId(targetName: string, targetId: string): string {
  return `${TARGET_LOCK_PREFIX}${targetName.toLowerCase()}-${hash8(targetId)}`;
}

/** What every target lock's ID starts with: one query lists the restores, migrations and snapshot applies running. */
export const TARGET_LOCK_PREFIX = 'restore-';
