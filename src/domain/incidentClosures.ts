/**
 * When the incidents that no later observation of the same subject closes do close. `instance.deleted`: once the
 * instance is seen again (a backup, restore or snapshot of it succeeds, discovery finds it) or is no longer in the
 * configured or discovered fleet. `operation.refused` (its subject is the record or backup whose token was refused):
 * once a later operation of the same kind on the same instance succeeds, which shows the instance is operated by
 * apim-dr again, or once that instance is no longer in the fleet. The book of open incidents then holds at most what
 * the fleet can still raise; a closed incident leaves it.
 */
import { parseBackupName } from './backupName';
import type { Closure } from './incidents';
import { parseRecordName } from './recordRetention';

export type RefusableOperation = 'backup' | 'restore' | 'migrate';

/** What a refused operation's subject names: a backup (`<service>.<time>.<trigger>.apimbackup`) or a record. */
export function refusedOperationOf(subject: string): { operation: RefusableOperation; instance: string } | undefined {
  const record = parseRecordName(subject);
  if (record) return { operation: subject.startsWith('migrations/') ? 'migrate' : 'restore', instance: record.target };
  const backup = parseBackupName(subject);
  return backup ? { operation: 'backup', instance: backup.service } : undefined;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A `operation` on `instance` succeeded: the refusals of that kind there are over; and the instance exists. */
export function closuresOnSuccess(operation: RefusableOperation, instance: string, at: string): Closure[] {
  const what = operation === 'migrate' ? 'a migration' : `a ${operation}`;
  return [
    {
      kind: 'operation.refused',
      at,
      reason: `${what} of ${instance} succeeded since`,
      matches: (subject) => {
        const refused = refusedOperationOf(subject);
        return refused !== undefined && refused.operation === operation && same(refused.instance, instance);
      },
    },
    instanceSeen(instance, at, `${what} of it succeeded`),
  ];
}

/** The instance answered (or was found): it is not deleted. */
export function instanceSeen(instance: string, at: string, reason: string): Closure {
  return { kind: 'instance.deleted', at, reason, matches: (subject) => same(subject, instance) };
}

/** Instances no longer configured nor discovered: nothing more can be done about their incidents. */
export function closuresOutsideFleet(fleet: readonly string[], at: string): Closure[] {
  const inFleet = new Set(fleet.map((n) => n.toLowerCase()));
  const reason = 'it is no longer in the configured or discovered fleet';
  return [
    { kind: 'instance.deleted', at, reason, matches: (subject) => !inFleet.has(subject.toLowerCase()) },
    {
      kind: 'operation.refused',
      at,
      reason,
      matches: (subject) => {
        const refused = refusedOperationOf(subject);
        return refused !== undefined && !inFleet.has(refused.instance.toLowerCase());
      },
    },
  ];
}
