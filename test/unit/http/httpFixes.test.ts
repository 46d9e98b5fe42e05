import { describe, expect, it } from 'vitest';
import { findingsForCli, findingsForHttp, fixForCli, fixForHttp } from '../../../src/http/httpFixes';

describe('fixes for HTTP callers', () => {
  it('names the body field where the CLI fix names a flag', () => {
    expect(fixForHttp('use --backup contoso-apim-weu.20260301T020000Z.scheduled.apimbackup')).toBe(
      'send "backup": "contoso-apim-weu.20260301T020000Z.scheduled.apimbackup"',
    );
    expect(fixForHttp('restore with --in-place, or --no-pre-backup')).toBe('restore with "allowInPlace": true, or "preRestoreBackup": false');
  });

  it('leaves a fix without flags as it is, and keeps every other field of a finding', () => {
    const finding = { code: 'FewerUnits', severity: 'warning' as const, message: 'm', fix: "scale 'x' to 2 unit(s)" };
    expect(findingsForHttp([finding])).toEqual([finding]);
  });

  it('names the flag again for a CLI user reading the app in remote mode: the round trip is the CLI text', () => {
    for (const fix of [
      'use --backup contoso-apim-weu.20260301T020000Z.scheduled.apimbackup',
      'restore with --in-place, or --no-pre-backup',
      '--no-pre-backup skips it, and with it the way back',
    ])
      expect(fixForCli(fixForHttp(fix))).toBe(fix);
    const message = `'x' cannot be restored into 'y': BackupExpired: expired (fix: send "backup": "contoso-apim-weu.20260302T020000Z.scheduled.apimbackup")`;
    expect(fixForCli(message)).toBe(
      `'x' cannot be restored into 'y': BackupExpired: expired (fix: use --backup contoso-apim-weu.20260302T020000Z.scheduled.apimbackup)`,
    );
    const finding = { code: 'FewerUnits', severity: 'warning' as const, message: 'm', fix: "scale 'x' to 2 unit(s)" };
    expect(findingsForCli([finding])).toEqual([finding]);
  });
});
