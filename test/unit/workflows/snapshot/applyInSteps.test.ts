import { describe, expect, it } from 'vitest';
import { stepsOf, WRITES_PER_STEP } from '../../../../src/workflows/snapshot/applyInSteps';

describe('stepsOf', () => {
  it('cuts the writes by wave, by PUT or delete, and at WRITES_PER_STEP, in the plan order', () => {
    const writes = [
      ...Array.from({ length: 3 }, () => ({ op: 'create', wave: 1 })),
      ...Array.from({ length: WRITES_PER_STEP + 2 }, () => ({ op: 'change', wave: 5 })),
      { op: 'delete', wave: 5 },
      { op: 'delete', wave: 1 },
    ];
    expect(stepsOf(writes)).toEqual([
      { op: 'put', wave: 1, from: 0, to: 3 },
      { op: 'put', wave: 5, from: 3, to: 3 + WRITES_PER_STEP },
      { op: 'put', wave: 5, from: 3 + WRITES_PER_STEP, to: 5 + WRITES_PER_STEP },
      { op: 'delete', wave: 5, from: 5 + WRITES_PER_STEP, to: 6 + WRITES_PER_STEP },
      { op: 'delete', wave: 1, from: 6 + WRITES_PER_STEP, to: 7 + WRITES_PER_STEP },
    ]);
    expect(stepsOf([])).toEqual([]);
  });
});
