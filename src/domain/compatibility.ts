/**
 * "If I restore this backup into that instance now, what happens?" Pure rules over the backup's manifest
 * (the source as it was) and the target as ARM returns it now. Every finding names both sides and the fix.
 */
import type { Finding } from './finding';
import { RESTORE_RULES, type CompatibilityInput } from './restoreRules';

export type { Finding, Severity } from './finding';
export { NOT_IN_BACKUP, type CompatibilityInput } from './restoreRules';

export type Verdict = 'FullyRestorable' | 'PartiallyRestorable' | 'NotRestorable';

export interface CompatibilityReport {
  verdict: Verdict;
  backupName: string;
  source: string;
  target: string;
  findings: Finding[];
}

/** Every rule of the table (restoreRules.ts) over the input; the verdict is the gravest finding's. */
export function checkRestoreCompatibility(input: CompatibilityInput): CompatibilityReport {
  const { backup, target } = input;
  const source = backup.source;
  const findings = RESTORE_RULES.map((rule) => rule(input)).filter((f): f is Finding => f !== undefined);
  const verdict: Verdict = findings.some((f) => f.severity === 'blocking')
    ? 'NotRestorable'
    : findings.some((f) => f.severity === 'warning')
      ? 'PartiallyRestorable'
      : 'FullyRestorable';
  return { verdict, backupName: backup.backupName, source: source.name, target: target.name, findings };
}
