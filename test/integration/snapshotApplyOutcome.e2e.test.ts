/**
 * An apply's record stays small however much went wrong (the first failed writes and differing paths of each kind,
 * every one in its findings blob), and the findings blob goes when its record is retired; nothing else under its prefix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedResource } from '../../dev/sandbox/configApi';
import { JsonBlobStore } from '../../src/azure/jsonBlobStore';
import { readApplyFindings, writeApplyFindings } from '../../src/azure/snapshot/applyFindingsStore';
import { parseServiceId } from '../../src/domain/resourceId';
import { applyFindingsBlob, type ApplyRecord } from '../../src/domain/snapshot/applyRecord';
import { FINDING_EXAMPLES } from '../../src/domain/snapshot/boundFindings';
import { snapshotOf } from '../../src/workflows/snapshot/takeSnapshot';
import { retireRecords } from '../../src/workflows/sweep/retireRecords';
import { readSweepReport } from '../../src/workflows/sweep/readSweepReport';
import type { SweepSummary } from '../../src/workflows/sweep/types';
import { sweepCommand } from '../../src/cli/commands/sweep';
import { createOutput } from '../../src/cli/output';
import { loadInProcessModules } from '../../src/cli/lazy';
import { Writable } from 'node:stream';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

const APIS = FINDING_EXAMPLES + 5;

describe("a snapshot apply's outcome, bounded, and its findings blob retired with it", () => {
  let h: Harness;
  let snapshot: string;
  const store = () => new JsonBlobStore(h.services.snapshots.container);
  const exists = async (name: string) => (await store().readText(name)) !== undefined;

  beforeEach(async () => {
    h = await startHarness({
      services: V2_SERVICES,
      config: (sandbox) => ({ ...v2Config(sandbox), defaults: { recordRetention: 'P1D', recordsKept: 1 } }),
    });
    const source = h.sandbox.apim.service(V2);
    for (let a = 0; a < APIS; a++) {
      seedResource(source, `apis/many-${a}`, { displayName: `many ${a}`, path: `many-${a}`, protocols: ['https'] });
      seedResource(source, `apis/many-${a}/operations/get`, { displayName: 'get', method: 'GET', urlTemplate: '/' });
    }
    snapshot = (await snapshotOf(h.services, parseServiceId(idOf(V2))!, 'manual', 'test')).snapshotName;
  });
  afterEach(async () => {
    await h.close();
  });

  /** Every operation's PUT into the standby refused (400), as ARM refuses an invalid resource: one cause, many failures. */
  function refuseOperationWrites(): void {
    h.sandbox.apim.faults.add({
      method: 'PUT',
      path: new RegExp(`/service/${V2_STANDBY}/apis/many-\\d+/operations/get$`),
      fault: { kind: 'status', status: 400, code: 'ValidationError', message: 'refused by the test' },
      times: 1_000,
    });
  }

  async function apply(): Promise<ApplyRecord> {
    const response = await h.api('POST', '/api/snapshots/apply', { snapshot, target: V2_STANDBY, confirm: V2_STANDBY });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus, JSON.stringify(instance.output)).toBe('Completed');
    return instance.output as ApplyRecord;
  }

  it('keeps the first failed writes and differing paths of each kind in the record, and every one in its findings blob', async () => {
    refuseOperationWrites();
    const record = await apply();
    expect(record.state).toBe('partial');
    expect(record.failed).toHaveLength(FINDING_EXAMPLES);
    expect(record.failedGroups).toEqual([{ kind: 'ValidationError', count: APIS, examples: record.failed.map((f) => f.path) }]);
    expect(record.failedOmitted).toBe(APIS - FINDING_EXAMPLES);
    const operations = record.verification!.mismatchedGroups!.find((g) => g.kind === 'apis/*/operations/*');
    expect(operations?.count).toBe(APIS);
    expect(record.verification!.mismatched.filter((p) => p.includes('/operations/'))).toHaveLength(FINDING_EXAMPLES);
    expect(record.verification!.mismatchedOmitted).toBe(APIS - FINDING_EXAMPLES);

    // Every one, in the blob the record names, tagged with the record.
    expect(record.findingsBlob).toBe(applyFindingsBlob(record.recordName));
    const full = await readApplyFindings(h.services.snapshots.container, record.findingsBlob!);
    expect(full?.failed.map((f) => f.path).sort()).toEqual(Array.from({ length: APIS }, (_, a) => `apis/many-${a}/operations/get`).sort());
    expect(full?.mismatched.filter((p) => p.includes('/operations/'))).toHaveLength(APIS);
    const tags = (await h.services.snapshots.container.getBlockBlobClient(record.findingsBlob!).getTags()).tags;
    expect(tags).toEqual({ apimdr: 'apply-findings', record: record.recordName });
    // The record as stored is the bounded one.
    const stored = JSON.parse((await store().readText(record.recordName))!.text) as ApplyRecord;
    expect(stored.failed).toHaveLength(FINDING_EXAMPLES);
  });

  it('removes the findings blob with its record when the sweep retires it, an orphan of apim-dr’s too, and nothing foreign', async () => {
    refuseOperationWrites();
    const old = await apply();
    h.sandbox.apim.faults.clear();
    await h.clock.advance(3_600_000);
    const newest = await apply();
    expect(newest.findingsBlob).toBeUndefined();
    // What the sweep must leave: a blob without apim-dr's tags, and one tagged for a record whose blob it is not.
    const container = h.services.snapshots.container;
    await store().write('snapshot-apply-findings/notes.json', { findings: [] }, 'any');
    await store().write('snapshot-apply-findings/copy.json', { findings: [] }, 'any', { apimdr: 'apply-findings', record: old.recordName });
    // What it may take: apim-dr's blob of a record already gone (a retirement cut short).
    const gone = 'snapshot-applies/contoso-apim-v2-neu.20260101T000000Z.0a1b2c3d.json';
    const orphan = await writeApplyFindings(container, gone, { findings: [] });

    await h.clock.advance(2 * 86_400_000);
    expect(await retireRecords(h.services, true)).toEqual([old.recordName]);
    expect(await exists(old.findingsBlob!)).toBe(true);
    expect(await exists(orphan)).toBe(true);

    await retireRecords(h.services, false);
    expect(await exists(old.recordName)).toBe(false);
    expect(await exists(old.findingsBlob!)).toBe(false);
    expect(await exists(orphan)).toBe(false);
    expect(await exists(newest.recordName)).toBe(true);
    expect(await exists('snapshot-apply-findings/notes.json')).toBe(true);
    expect(await exists('snapshot-apply-findings/copy.json')).toBe(true);
    expect(h.logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'apim-dr.snapshot.apply.record-retired', recordName: old.recordName, state: 'partial' }),
        expect.objectContaining({ event: 'apim-dr.sweep.apply-findings', dryRun: false, removed: [orphan], foreign: 2 }),
      ]),
    );
  });

  it("the sweep's summary, its report and the CLI's sweep say how many findings blobs went and how many foreign ones stayed", async () => {
    refuseOperationWrites();
    const old = await apply();
    h.sandbox.apim.faults.clear();
    await h.clock.advance(3_600_000);
    await apply();
    await store().write('snapshot-apply-findings/notes.json', { findings: [] }, 'any');
    await store().write('snapshot-apply-findings/copy.json', { findings: [] }, 'any', { apimdr: 'apply-findings', record: old.recordName });
    const orphan = await writeApplyFindings(h.services.snapshots.container, 'snapshot-applies/contoso-apim-v2-neu.20260101T000000Z.0a1b2c3d.json', {
      findings: [],
    });
    await h.clock.advance(2 * 86_400_000);

    const sweep = async (dryRun: boolean) => {
      const id = `sweep-${h.clock.now().getTime()}-${dryRun ? 'dry' : 'real'}`;
      h.host.engine.start('sweepOrchestrator', id, { dryRun, requestedBy: 'test' });
      const instance = await runToCompletion(h, id);
      expect(instance.runtimeStatus, String(instance.output)).toBe('Completed');
      return instance.output as SweepSummary;
    };
    const counts = { withRecords: 1, orphans: 1, foreign: 2 };
    let printed = '';
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((printed += chunk.toString()), done()) });
    await loadInProcessModules('sweep');
    expect(await sweepCommand(h.services, true, createOutput('table', sink, sink))).toBe(0);
    expect(printed).toContain('would retire 1 record(s) past the record retention: 1 snapshot apply');
    expect(printed).toContain('would remove 2 apply findings blob(s): 1 with their records, 1 whose record was gone');
    expect(printed).toContain("left alone: 2 blob(s) under snapshot-apply-findings/ that are not apim-dr's");

    const dry = await sweep(true);
    expect(dry).toMatchObject({ retiredRecords: 1, retiredApprovals: 0, applyFindings: counts });
    expect(await exists(old.findingsBlob!)).toBe(true);
    expect(await exists(orphan)).toBe(true);

    const real = await sweep(false);
    expect(real).toMatchObject({ retiredRecords: 1, retiredApprovals: 0, applyFindings: counts });
    const report = await readSweepReport(h.services, real);
    expect(report).toMatchObject({ retiredRecords: [old.recordName], retiredApprovals: [], applyFindings: counts });
    expect(await exists(old.findingsBlob!)).toBe(false);
    expect(await exists(orphan)).toBe(false);
    expect(await exists('snapshot-apply-findings/notes.json')).toBe(true);
    // Nothing left to remove: the next run says so, and still counts what it leaves alone.
    expect((await sweep(false)).applyFindings).toEqual({ withRecords: 0, orphans: 0, foreign: 2 });
  });
});
