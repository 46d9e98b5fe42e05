/**
 * A target that another operation holds is a conflict (409, exit 1: try again when it has finished), not a verdict on
 * the restore (403, exit 3): the one error table says so, and so do the restore, the dry run and the HTTP API.
 */
import type { CompatibilityReport, Finding } from './compatibility';

/** The busy finding, when it is what alone stands in the way; undefined otherwise. */
export function busyOnly(report: CompatibilityReport): Finding | undefined {
  const blocking = report.findings.filter((f) => f.severity === 'blocking');
  return blocking.length > 0 && blocking.every((f) => f.code === 'TargetBusy') ? blocking[0] : undefined;
}
