import { describe, expect, it } from 'vitest';
import { withSecrets } from '../../../../src/workflows/snapshot/applySupplies';

describe('withSecrets', () => {
  it('keeps the fields of an entry not given as still left out', () => {
    const notCaptured = [{ path: 'certificates/c', what: 'data, password', reason: 'r', fix: 'f' }];
    const supplied = withSecrets([], notCaptured, new Map([['certificates/c.data', 'AAAA']]));
    expect(supplied.resources).toEqual([{ path: 'certificates/c', properties: { data: 'AAAA' } }]);
    expect(supplied.notCaptured).toEqual([{ ...notCaptured[0], what: 'password' }]);
  });
});
