import { describe, expect, it } from 'vitest';
import { applyRecordSchema, type ApplyRecord } from '../../../../src/domain/snapshot/applyRecord';
import { FINDING_EXAMPLES } from '../../../../src/domain/snapshot/boundFindings';
import { boundFailed, boundVerification, typeOfPath } from '../../../../src/domain/snapshot/boundOutcome';
import { applyObservations } from '../../../../src/domain/incidents';

const operations = (n: number) => Array.from({ length: n }, (_, i) => `apis/api-${Math.floor(i / 20)}/operations/op-${i % 20}`);

/** A record as finishApplyRun wrote it before outcomes were bounded: every path that read back different. */
function record(mismatched: string[], failed: ApplyRecord['failed']): ApplyRecord {
  return applyRecordSchema.parse({
    schemaVersion: 1,
    recordName: 'snapshot-applies/contoso-apim-v2-neu.20260301T000000Z.0a1b2c3d.json',
    snapshotName: 'contoso-apim-v2-weu.20260301T000000Z.manual.json.gz',
    source: 'contoso-apim-v2-weu',
    target: 'contoso-apim-v2-neu',
    targetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-apim-v2-neu',
    requestedBy: 'test',
    mode: 'merge',
    only: [],
    state: 'partial',
    verdict: 'Fully restorable',
    counts: { create: 10_000, change: 0, delete: 0, unchanged: 0, skipped: 0 },
    findings: [],
    failed,
    verification: { checked: 10_000, mismatched, stillPresent: [] },
    startedAt: '2026-03-01T00:00:00.000Z',
    completedAt: '2026-03-01T01:00:00.000Z',
    rtoMs: 3_600_000,
    armRequests: 20_000,
  });
}

describe("bounding an apply's outcome for its record", () => {
  it('names a resource type by its collections: apis/*/operations/*', () => {
    expect(typeOfPath('apis/orders/operations/get')).toBe('apis/*/operations/*');
    expect(typeOfPath('workspaces/team/apis/orders')).toBe('workspaces/*/apis/*');
    expect(typeOfPath('namedValues/key')).toBe('namedValues/*');
  });

  it('keeps the first paths of each type that read back different, counted; a record of 10,000 stays a few KB', () => {
    const all = [...operations(10_000), 'namedValues/orders-key'];
    const bounded = boundVerification({ checked: 10_001, mismatched: all, stillPresent: [] });
    expect(bounded.mismatched).toEqual([...all.slice(0, FINDING_EXAMPLES), 'namedValues/orders-key']);
    expect(bounded.mismatchedGroups).toEqual([
      { kind: 'apis/*/operations/*', count: 10_000, examples: all.slice(0, FINDING_EXAMPLES) },
      { kind: 'namedValues/*', count: 1, examples: ['namedValues/orders-key'] },
    ]);
    expect(bounded.mismatchedOmitted).toBe(10_000 - FINDING_EXAMPLES);
    expect(bounded).not.toHaveProperty('stillPresentGroups');

    const before = Buffer.byteLength(JSON.stringify(record(all, [])));
    const after = Buffer.byteLength(JSON.stringify({ ...record(all, []), verification: bounded }));
    // Measured: 313,561 bytes before (about 31 bytes a path), 1,518 after, whatever the count.
    expect(before).toBeGreaterThan(300_000);
    expect(after).toBeLessThan(4_096);
    expect(applyRecordSchema.parse({ ...record(all, []), verification: bounded }).verification).toEqual(bounded);
  });

  it('keeps the first failed writes of each code, counted, and the incident counts every one', () => {
    const all = operations(10_000).map((path, i) => ({ path, code: i % 2 ? 'ValidationError' : 'Conflict', message: `${path} was refused` }));
    const bounded = boundFailed(all);
    expect(bounded.failed).toHaveLength(2 * FINDING_EXAMPLES);
    expect(bounded.failedGroups?.map((g) => [g.kind, g.count])).toEqual([
      ['Conflict', 5_000],
      ['ValidationError', 5_000],
    ]);
    expect(bounded.failedOmitted).toBe(10_000 - 2 * FINDING_EXAMPLES);
    const before = Buffer.byteLength(JSON.stringify(record([], all)));
    const after = Buffer.byteLength(JSON.stringify({ ...record([], all), ...bounded }));
    // Measured: 1,151,336 bytes before, over the 1 MiB a Durable payload may carry (the record is the orchestration's output); 3,693 after.
    expect(before).toBeGreaterThan(1_000_000);
    expect(after).toBeLessThan(8_192);
    const [incident] = applyObservations({ ...record([], all), ...bounded });
    expect(incident?.detail).toBe('10000 writes failed (apis/api-0/operations/op-0: Conflict)');
  });

  it('adds nothing to a clean outcome', () => {
    expect(boundFailed([])).toEqual({ failed: [] });
    expect(boundVerification({ checked: 3, mismatched: [], stillPresent: [] })).toEqual({ checked: 3, mismatched: [], stillPresent: [] });
  });
});
