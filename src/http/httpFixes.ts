/**
 * Fixes are written for the CLI (`use --backup NAME`); an HTTP caller sends body fields instead. This names the field
 * for the flag, so that a refusal at `POST /api/restores` tells its caller what to send.
 */
import type { Finding } from '../domain/compatibility';

const FIELD_FOR_FLAG: [RegExp, string][] = [
  [/--backup (\S+)/g, '"backup": "$1"'],
  [/--in-place\b/g, '"allowInPlace": true'],
  [/--no-pre-backup\b/g, '"preRestoreBackup": false'],
];

export function fixForHttp(fix: string): string {
  return FIELD_FOR_FLAG.reduce((text, [flag, field]) => text.replace(flag, field), fix).replace(/^use "/, 'send "');
}

export function findingsForHttp(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, fix: fixForHttp(f.fix) }));
}
