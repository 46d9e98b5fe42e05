import { describe, expect, it } from 'vitest';
import { groupBy } from '../../../src/domain/groupBy';

describe('groupBy', () => {
  it('groups in one pass and keeps the order within each group', () => {
    const groups = groupBy(['a1', 'b1', 'A2', 'a3'], (s) => s[0]!.toLowerCase());
    expect([...groups]).toEqual([
      ['a', ['a1', 'A2', 'a3']],
      ['b', ['b1']],
    ]);
  });
});
