/** The conflict a restore raises for a target another operation holds (domain/targetBusy.ts), wherever it is asked. */
import type { CompatibilityReport } from '../../domain/compatibility';
import { busyOnly } from '../../domain/targetBusy';
import { UserError } from '../../errors';

/** The conflict for a busy target (its message and the fix), or undefined when the report says otherwise. */
export function busyConflict(report: CompatibilityReport): UserError | undefined {
  const busy = busyOnly(report);
  return busy && new UserError(`${busy.message}: ${busy.fix}`, 'conflict', 'TargetBusy');
}
