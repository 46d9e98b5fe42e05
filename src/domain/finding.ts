/** What a dry-run check (restore compatibility, migration) reports: one finding per rule that has something to say. */

export type Severity = 'blocking' | 'warning' | 'info';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  fix: string;
}

export function finding(severity: Severity, code: string, message: string, fix: string): Finding {
  return { code, severity, message, fix };
}
