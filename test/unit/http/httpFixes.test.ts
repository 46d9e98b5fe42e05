import { describe, expect, it } from 'vitest';
import { findingsForHttp, fixForHttp } from '../../../src/http/httpFixes';

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
});
