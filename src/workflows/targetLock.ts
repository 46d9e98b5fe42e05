/**
 * An instance's lock (targetLockId): the one restore, in-place migration or snapshot apply running into it. Each start
 * of another is refused while it is held, and a backup waits; this says which holds it, in the words a message needs.
 */
import { targetLockId } from '../domain/instanceIds';
import { UserError } from '../errors';
import { Orchestrations } from './names';
import { SnapshotOrchestrations } from './snapshot/names';
import { isActive, type OrchestrationStarter } from './starter';

export interface LockHolder {
  instanceId: string;
  /** `a restore into`, `a migration of`, `a snapshot apply into`. */
  what: string;
  since?: string;
}

export function holderWords(orchestration: string): string {
  if (orchestration === Orchestrations.migrate) return 'a migration of';
  if (orchestration === SnapshotOrchestrations.apply) return 'a snapshot apply into';
  return 'a restore into';
}

/** What holds the instance now, if anything. */
export async function lockHolder(starter: OrchestrationStarter, name: string, id: string): Promise<LockHolder | undefined> {
  const instanceId = targetLockId(name, id);
  const status = await starter.status(instanceId);
  if (!status || !isActive(status.runtimeStatus)) return undefined;
  return { instanceId, what: holderWords(status.name), ...(status.createdTime ? { since: status.createdTime } : {}) };
}

/** The conflict (409, exit 1) for a start refused because the lock is held: which operation holds it and what to do. */
export async function lockConflict(starter: OrchestrationStarter, name: string, id: string, wanted: string): Promise<UserError> {
  const holder = await lockHolder(starter, name, id);
  const what = holder
    ? `${holder.what} '${name}' is running (operation ${holder.instanceId}${holder.since ? `, since ${holder.since}` : ''})`
    : `another operation holds '${name}'`;
  return new UserError(`${what}: start ${wanted} once it has finished`, 'conflict', 'TargetBusy');
}
