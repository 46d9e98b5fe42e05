import { describe, expect, it } from 'vitest';
import { consentProblem } from '../../../src/workflows/restore/consent';

describe('whose configuration a restore may replace', () => {
  it('lets any restore replace a configured standby of the source', () => {
    expect(consentProblem('standby', 'restore', false, 'weu', 'neu')).toBeUndefined();
    expect(consentProblem('standby', 'sync', false, 'weu', 'neu')).toBeUndefined();
  });

  it('refuses an in-place restore without consent, and names the flag that gives it', () => {
    const problem = consentProblem('in-place', 'restore', false, 'weu', 'weu');
    expect(problem?.code).toBe('InPlaceNotAllowed');
    expect(problem?.fix).toMatch(/allowInPlace: true \(CLI: --in-place\)/);
    expect(consentProblem('in-place', 'restore', true, 'weu', 'weu')).toBeUndefined();
  });

  it('takes a rollback as consent to restore in place', () => {
    expect(consentProblem('in-place', 'rollback', false, 'weu', 'weu')).toBeUndefined();
  });

  it('lets only drills restore into a drill target', () => {
    expect(consentProblem('drill-target', 'drill', false, 'weu', 'spare')).toBeUndefined();
    expect(consentProblem('drill-target', 'restore', false, 'weu', 'spare')?.code).toBe('NotAStandby');
  });

  it('refuses any other instance, pointing at the standbys list', () => {
    const problem = consentProblem('none', 'restore', true, 'weu', 'other');
    expect(problem).toEqual({
      code: 'NotAStandby',
      message: "'other' is not a configured standby of 'weu'",
      fix: "add it to services[].standbys of 'weu' in the config",
    });
  });
});
