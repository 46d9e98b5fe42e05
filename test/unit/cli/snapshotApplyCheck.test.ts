import { describe, expect, it } from 'vitest';
import { printCheck } from '../../../src/cli/commands/snapshotApply';
import type { Output } from '../../../src/cli/output';
import { planApply } from '../../../src/domain/snapshot/applyPlan';
import { parseServiceId } from '../../../src/domain/resourceId';
import { toCheck } from '../../../src/workflows/snapshot/applySnapshot';

const TARGET = parseServiceId('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/neu')!;
const resources = Array.from({ length: 25 }, (_, i) => ({
  path: `apis/a${i}`,
  properties: { displayName: `a${i}`, path: `a${i}`, serviceUrl: `https://a${i}.weu.example` },
}));
const plan = planApply(
  { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/weu', tier: 'Premium', resources, notCaptured: [] },
  { ...TARGET, tier: 'Premium', resources: [] },
);

function printed(all: boolean): string[] {
  const lines: string[] = [];
  const out = { json: false, line: (text: string) => lines.push(...text.split('\n')), data: () => undefined } as unknown as Output;
  printCheck(toCheck('snap', 'weu', TARGET, 'Premium', plan, false, all ? Infinity : undefined), out, all);
  return lines;
}

describe("the CLI's dry run text", () => {
  it('prints alike findings once, with their count, fix and first resources, and says how to see every one', () => {
    const lines = printed(false);
    expect(lines).toContain(
      '  notice   EnvironmentValue × 25: apis/a0, apis/a1, apis/a2, apis/a3, apis/a4, apis/a5, apis/a6, apis/a7, apis/a8, apis/a9, and 15 more',
    );
    expect(lines.filter((l) => l.includes('fix:'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('--all');
  });

  it('prints every finding with --all', () => {
    expect(printed(true).filter((l) => l.includes('EnvironmentValue'))).toHaveLength(25);
  });
});
