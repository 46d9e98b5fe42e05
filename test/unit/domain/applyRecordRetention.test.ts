import { describe, expect, it } from 'vitest';
import { parseRecordName, planRecordRetirement } from '../../../src/domain/recordRetention';
import { applyRecordName } from '../../../src/domain/snapshot/applyRecord';

const DAY = 86_400_000;

describe('snapshot apply records in the record retention', () => {
  it('reads the target and time of an apply record as applyRecordName writes it', () => {
    const name = applyRecordName('contoso-apim-v2-neu', new Date('2026-03-01T12:34:56.789Z'), '0a1b2c3d');
    expect(name).toBe('snapshot-applies/contoso-apim-v2-neu.20260301T123456Z.0a1b2c3d.json');
    expect(parseRecordName(name)).toEqual({ target: 'contoso-apim-v2-neu', at: new Date('2026-03-01T12:34:56Z') });
    expect(parseRecordName('snapshot-applies/contoso-apim-v2-neu.20260301T123456Z.notes.json')).toBeUndefined();
  });

  it("retires a target's applies past the retention beyond the newest kept, counted apart from its restores", () => {
    const at = (d: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + d * DAY);
    const applies = [0, 1, 2].map((d) => applyRecordName('neu', at(d), `0000000${d}`));
    const restores = [0, 1].map((d) => `restores/neu.${applyRecordName('x', at(d), 'x').split('.')[1]}.json`);
    const retired = planRecordRetirement([...applies, ...restores], at(100), { minAgeMs: 90 * DAY, keep: 1 });
    expect(retired).toEqual([applies[0], applies[1], restores[0]].sort());
  });
});
