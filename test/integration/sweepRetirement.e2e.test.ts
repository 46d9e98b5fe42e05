/**
 * The daily sweep retires what the state container would otherwise keep for ever: operation logs past the records
 * retention that no kept record names, and decided approval records; never a blob apim-dr did not write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { approvalRecordName, type ApprovalRecord } from '../../src/domain/approvalRecord';
import { operationLog } from '../../src/workflows/records/operationLog';
import { backupNow, startHarness, sweepNow, type Harness } from '../support/harness';

const DAY = 86_400_000;
const WEU = 'contoso-apim-weu';
const NEU = 'contoso-apim-neu';

describe('the sweep retires old state', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async () => {
    h = await startHarness({ config: (sandbox) => sandbox.config({ defaults: { pollInterval: 'PT15S', recordsKept: 1 } }) });
    return h;
  };
  const state = (h: Harness) => h.sandbox.stateContainer();
  const names = async (h: Harness, prefix: string) => {
    const found: string[] = [];
    for await (const blob of state(h).listBlobsFlat({ prefix })) found.push(blob.name);
    return found.sort();
  };
  const put = async (h: Harness, name: string, body: string) => {
    await state(h).getBlockBlobClient(name).upload(body, Buffer.byteLength(body));
  };
  const event = (h: Harness, correlationId: string) => {
    h.services.operationEvents.record('apim-dr.restore.started', 'info', { correlationId, target: NEU });
  };

  it('retires the event logs of operations past the records retention that no kept record names, and nothing it did not write', async () => {
    const h = await start();
    const backup = await backupNow(h, WEU);
    const backupCorrelation = (await h.services.catalog.read(backup.backupName))!.manifest.correlationId;
    event(h, 'old-free');
    event(h, 'old-named');
    await h.services.operationEvents.flush();
    // The only restore record of its target: kept past the retention as the newest, so its log stays too.
    const requestedAt = h.clock.now();
    const recordName = `restores/${NEU}.${requestedAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z')}.000abcd.json`;
    await h.services.restores.write({
      schemaVersion: 1,
      recordName,
      source: WEU,
      target: NEU,
      targetId: `/subscriptions/x/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${NEU}`,
      requestedBy: 'ops@contoso.example',
      correlationId: 'old-named',
      owner: 'o',
      purpose: 'sync',
      requestedAt: requestedAt.toISOString(),
      state: 'succeeded',
      findings: [],
    });
    // Written before events were marked: apim-dr's by its content. Beside it, what apim-dr never writes.
    const legacy = 'logs/legacy-cid/20260101T000000.000Z.0badcafe.json';
    await put(h, legacy, JSON.stringify({ time: '2026-01-01T00:00:00.000Z', level: 'info', event: 'apim-dr.backup.started', correlationId: 'legacy-cid' }));
    const foreign = ['logs/readme.txt', 'logs/someone-else/20260101T000000.000Z.0badcafe.json', 'logs/legacy-cid/notes.json'];
    for (const name of foreign) await put(h, name, '{"note":"not an apim-dr event"}');

    await h.clock.advance(91 * DAY);
    event(h, 'fresh');
    await h.services.operationEvents.flush();
    const report = await sweepNow(h);

    const kept = await names(h, 'logs/');
    const operations = new Set(kept.map((n) => n.split('/')[1]));
    expect(operations.has(backupCorrelation)).toBe(false);
    expect(operations.has('old-free')).toBe(false);
    expect(operations.has('old-named')).toBe(true);
    expect(operations.has('fresh')).toBe(true);
    expect(kept).not.toContain(legacy);
    for (const name of foreign) expect(kept).toContain(name);
    expect(report.logs).toMatchObject({ named: 1, foreign: 3 });
    expect(report.logs!.operations).toBeGreaterThanOrEqual(3);
    expect(h.logs).toContainEqual(expect.objectContaining({ event: 'apim-dr.sweep.logs', foreign: 3 }));
    // Asked for afterwards, the backup's operation says it was retired, not merely "not found".
    await expect(operationLog(h.services, backup.backupName)).rejects.toMatchObject({
      code: 'OperationRetired',
      message: expect.stringContaining('was retired'),
    });
  });

  it('previews the logs it would retire on a dry run, deleting none', async () => {
    const h = await start();
    event(h, 'old-free');
    await h.services.operationEvents.flush();
    await h.clock.advance(91 * DAY);
    const before = await names(h, 'logs/');
    const report = await sweepNow(h, true);
    expect(report.logs).toMatchObject({ operations: 1, blobs: 1 });
    expect(await names(h, 'logs/')).toEqual(before);
  });

  it('removes the old whole-catalog index blob once it has the shape apim-dr wrote, and leaves anything else there alone', async () => {
    const h = await start();
    const legacy = 'state/catalog-index.json';
    await put(h, legacy, '{"schemaVersion":1,"note":"someone else’s"}');
    await sweepNow(h);
    expect(await state(h).getBlobClient(legacy).exists()).toBe(true);
    expect(h.logs).toContainEqual(expect.objectContaining({ event: 'apim-dr.sweep.legacy-index', outcome: expect.stringContaining('left alone') }));

    const builtAt = h.clock.now().toISOString();
    const entry = { backupName: `${WEU}.20260301T000000Z.scheduled.apimbackup`, service: WEU, state: 'succeeded' };
    await put(h, legacy, JSON.stringify({ schemaVersion: 1, builtAt, services: { [WEU]: { entries: [entry], durations: [] } } }));
    await sweepNow(h);
    expect(await state(h).getBlobClient(legacy).exists()).toBe(false);
    expect(h.logs).toContainEqual(expect.objectContaining({ event: 'apim-dr.sweep.legacy-index', outcome: 'removed' }));
  });

  it('retires decided and expired approval records past the retention, never one still awaiting its second person', async () => {
    const h = await start();
    const now = h.clock.now().getTime();
    const approval = (operation: string, daysAgo: number, fields: Partial<ApprovalRecord>): ApprovalRecord => {
      const at = new Date(now - daysAgo * DAY);
      return {
        schemaVersion: 1,
        recordName: approvalRecordName(operation, at, `${operation}-${daysAgo}`),
        operationId: operation,
        kind: 'restore',
        input: { correlationId: `${operation}-${daysAgo}` },
        requestedBy: 'ops@contoso.example',
        requestedAt: at.toISOString(),
        via: 'http',
        state: 'approved',
        ...fields,
      };
    };
    const cases = {
      approved: approval('restore-contoso-apim-neu-0000000a', 100, { state: 'approved', approvedBy: 'second@contoso.example' }),
      expired: approval('restore-contoso-apim-neu-0000000b', 100, { state: 'expired', expiresAt: new Date(now - 99 * DAY).toISOString() }),
      lapsed: approval('restore-contoso-apim-neu-0000000c', 100, { state: 'awaiting', expiresAt: new Date(now - 99 * DAY).toISOString() }),
      pending: approval('restore-contoso-apim-neu-0000000d', 100, { state: 'awaiting', expiresAt: new Date(now + DAY).toISOString() }),
    };
    // Each operation's newest (recordsKept: 1) is young: the old ones are past the retention and not among the newest.
    const young = Object.values(cases).map((c) => approval(c.operationId, 1, { state: 'not-needed' }));
    for (const record of [...Object.values(cases), ...young]) await h.services.approvals.write(record);
    const lookAlike = approvalRecordName('restore-contoso-apim-neu-0000000e', new Date(now - 100 * DAY), 'x');
    await put(h, lookAlike, '{"someone":"else"}');
    await put(h, approvalRecordName('restore-contoso-apim-neu-0000000e', new Date(now - DAY), 'y'), '{"someone":"else"}');

    const report = await sweepNow(h);

    const retired = [cases.approved, cases.expired, cases.lapsed].map((c) => c.recordName);
    expect(report.retiredApprovals?.sort()).toEqual(retired.sort());
    const left = await names(h, 'approvals/');
    for (const name of retired) expect(left).not.toContain(name);
    expect(left).toContain(cases.pending.recordName);
    expect(left).toContain(lookAlike);
    for (const record of young) expect(left).toContain(record.recordName);
    expect(h.logs).toContainEqual(
      expect.objectContaining({ event: 'apim-dr.approval.record-retired', recordName: cases.approved.recordName, approvedBy: 'second@contoso.example' }),
    );
  });
});
