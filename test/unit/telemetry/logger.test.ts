import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../../src/telemetry/logger';

describe('log redaction', () => {
  it('masks bearer tokens, account keys and SAS signatures wherever they appear', () => {
    const text = 'Authorization: Bearer abc.def.ghi AccountKey=c2VjcmV0; https://a.blob.core.windows.net/c/b?sv=1&sig=abcdEF%2B';
    const masked = redact(text) as string;
    expect(masked).not.toMatch(/abc\.def\.ghi|c2VjcmV0|abcdEF/);
    // And keeps everything else: an empty or mangled output would pass the line above.
    expect(masked).toBe('Authorization: [redacted] [redacted]; https://a.blob.core.windows.net/c/b?sv=1[redacted]');
  });

  it('masks fields named like secrets and omits operation tokens', () => {
    expect(redact({ accessKey: 'k', clientSecret: 's', operationToken: '{"state":1}', service: 'apim' })).toEqual({
      accessKey: '[redacted]',
      clientSecret: '[redacted]',
      operationToken: '[omitted]',
      service: 'apim',
    });
  });

  it('writes structured records with the base properties', () => {
    const records: Record<string, unknown>[] = [];
    createLogger(
      (r) => records.push(r),
      { app: 'apim-dr' },
      () => new Date('2026-01-01T00:00:00Z'),
    ).event('apim-dr.backup.started', { service: 'a' });
    expect(records).toEqual([
      { time: '2026-01-01T00:00:00.000Z', level: 'info', message: 'apim-dr.backup.started', app: 'apim-dr', event: 'apim-dr.backup.started', service: 'a' },
    ]);
  });
});
