/**
 * Fixes are written for the CLI (`use --backup NAME`); an HTTP caller sends body fields instead. This names the field
 * for the flag, so that a refusal at `POST /api/restores` tells its caller what to send, and the CLI, reading the app's
 * answer in remote mode, names the flag again for its user.
 */
import type { Finding } from '../domain/compatibility';

const FIELD_FOR_FLAG: [RegExp, string][] = [
  [/--backup (\S+)/g, '"backup": "$1"'],
  [/--in-place\b/g, '"allowInPlace": true'],
  [/--no-pre-backup\b/g, '"preRestoreBackup": false'],
];

const FLAG_FOR_FIELD: [RegExp, string][] = [
  [/"backup": "([^"\s]+)"/g, '--backup $1'],
  [/"allowInPlace": true/g, '--in-place'],
  [/"preRestoreBackup": false/g, '--no-pre-backup'],
];

export function fixForHttp(fix: string): string {
  return FIELD_FOR_FLAG.reduce((text, [flag, field]) => text.replace(flag, field), fix).replace(/^use "/, 'send "');
}

/** The app's text for an HTTP caller, as a CLI user reads it: the flag for each body field. */
export function fixForCli(text: string): string {
  return FLAG_FOR_FIELD.reduce((out, [field, flag]) => out.replace(field, flag), text).replace(/\bsend --/g, 'use --');
}

export function findingsForHttp(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, fix: fixForHttp(f.fix) }));
}

export function findingsForCli(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, fix: fixForCli(f.fix) }));
}
