import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/domain/snapshot/applyPlan';
import { boundFindings, boundSkipped, FINDING_EXAMPLES } from '../../../../src/domain/snapshot/boundFindings';

const serviceUrl = (api: string): Finding => ({
  severity: 'notice',
  code: 'EnvironmentValue',
  resource: `apis/${api}`,
  message: `apis/${api}: serviceUrl is 'https://${api}.weu.example', the source's`,
  fix: `if the target should call its own region: --override apis/${api}.serviceUrl=<its value>`,
});

describe('bounding the findings of a dry run', () => {
  it('counts alike findings once, with the fix once and the first resources as examples', () => {
    const all = Array.from({ length: 25 }, (_, i) => serviceUrl(`api-${i}`));
    const bounded = boundFindings(all);
    expect(bounded.findingGroups).toEqual([
      {
        severity: 'notice',
        code: 'EnvironmentValue',
        count: 25,
        fix: 'if the target should call its own region: --override <resource>.serviceUrl=<its value>',
        examples: all.slice(0, FINDING_EXAMPLES).map((f) => f.resource),
      },
    ]);
    expect(bounded.findings).toEqual(all.slice(0, FINDING_EXAMPLES));
    expect(bounded.findingsOmitted).toBe(25 - FINDING_EXAMPLES);
  });

  it('keeps findings of another code, severity or fix in groups of their own, in the order they came', () => {
    const backendUrl: Finding = { ...serviceUrl('x'), resource: 'backends/b', fix: '--override backends/b.url=<its value>' };
    const limit: Finding = { severity: 'blocking', code: 'TierLimit', resource: 'tags', message: 'm', fix: 'use a larger tier' };
    const bounded = boundFindings([serviceUrl('a'), backendUrl, limit, serviceUrl('b')]);
    expect(bounded.findingGroups.map((g) => `${g.severity} ${g.code} ${g.count} ${g.fix}`)).toEqual([
      'notice EnvironmentValue 2 if the target should call its own region: --override <resource>.serviceUrl=<its value>',
      'notice EnvironmentValue 1 --override <resource>.url=<its value>',
      'blocking TierLimit 1 use a larger tier',
    ]);
    expect(bounded.findingsOmitted).toBe(0);
  });

  it('leaves a bare collection name in a fix as it is', () => {
    const unsupported: Finding = {
      severity: 'partial',
      code: 'UnsupportedOnTier',
      resource: 'gateways',
      message: 'm',
      fix: 'use workspace gateways on a v2 tier',
    };
    expect(boundFindings([unsupported]).findingGroups[0]?.fix).toBe('use workspace gateways on a v2 tier');
  });

  it('keeps the first skipped paths of each reason, every missing dependency one reason', () => {
    const skipped = [
      ...Array.from({ length: 15 }, (_, i) => ({ path: `apis/a${i}/policies/policy`, code: `Needs:namedvalues/k${i}` })),
      { path: 'identityProviders/aad', code: 'SecretNotCaptured' },
    ];
    const bounded = boundSkipped(skipped);
    expect(bounded.skipped).toEqual([...skipped.slice(0, FINDING_EXAMPLES), skipped[15]]);
    expect(bounded.skippedOmitted).toBe(15 - FINDING_EXAMPLES);
  });
});
