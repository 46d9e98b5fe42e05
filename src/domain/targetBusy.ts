/**
 * A target that another operation holds is a conflict (409, exit 1: try again when it has finished), not a verdict on
 * the restore (403, exit 3): the one error table says so, and so do the restore, the dry run and the HTTP API.
 */
import { UserError } from '../errors';
import type { CompatibilityReport } from './compatibility';

/** The busy finding, when it is what alone stands in the way; undefined otherwise. */
export function busyOnly(report: CompatibilityReport): CompatibilityReport['findings'][number] | undefined {
  const blocking = report.findings.filter((f) => f.severity === 'blocking');
  return blocking.length > 0 && blocking.every((f) => f.code === 'TargetBusy') ? blocking[0] : undefined;
}

/** The conflict to raise for a busy target (its message and the fix), or undefined when the report says otherwise. */
export function busyConflict(report: CompatibilityReport): UserError | undefined {
  const busy = busyOnly(report);
  return busy && new UserError(`${busy.message}: ${busy.fix}`, 'conflict', 'TargetBusy');
}
