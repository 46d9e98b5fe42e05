/**
 * `apim-dr logs` and `GET /api/operations/{id}/logs` for a snapshot apply: by its record (with or without the folder)
 * and by the target's lock ID it ran under (its newest run), its events kept under the
 * correlation ID its record names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { logsCommand } from '../../src/cli/commands/logs';
import { loadInProcessModules } from '../../src/cli/lazy';
import { createOutput } from '../../src/cli/output';
import { targetLockId } from '../../src/domain/instanceIds';
import { parseServiceId } from '../../src/domain/resourceId';
import type { ApplyRecord } from '../../src/domain/snapshot/applyRecord';
import type { OperationLog } from '../../src/workflows/records/operationLog';
import { snapshotOf } from '../../src/workflows/snapshot/takeSnapshot';
import { retireOperationLogs } from '../../src/workflows/sweep/retireOperationLogs';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

describe('the events of a snapshot apply, by its record or its operation ID', () => {
  let h: Harness;
  let snapshot: string;

  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    snapshot = (await snapshotOf(h.services, parseServiceId(idOf(V2))!, 'manual', 'test')).snapshotName;
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers over HTTP and in process with the apply’s own events, started to succeeded', async () => {
    const response = await h.api('POST', '/api/snapshots/apply', { snapshot, target: V2_STANDBY, confirm: V2_STANDBY });
    expect(response.status).toBe(202);
    expect(response.body.id).toBe(targetLockId(V2_STANDBY, idOf(V2_STANDBY)));
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus, JSON.stringify(instance.output)).toBe('Completed');
    const record = instance.output as ApplyRecord;
    expect(record.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    await h.services.operationEvents.flush();

    const bare = record.recordName.replace(/^snapshot-applies\//, '').replace(/\.json$/, '');
    const byRecord = await h.api('GET', `/api/operations/${bare}/logs`);
    expect(byRecord.status, JSON.stringify(byRecord.body)).toBe(200);
    const log = byRecord.body as OperationLog;
    expect(log).toMatchObject({ kind: 'snapshot-apply', operation: record.recordName, correlationId: record.correlationId, state: record.state });
    // The target's snapshot (its way back) is the apply's first step: its event is in the apply's log.
    // (The test's clock stands still: events of one instant come in any order.)
    const named = (event: string) => log.events.find((e) => e.event === event);
    expect(log.events.map((e) => e.event).sort()).toEqual(
      ['apim-dr.snapshot.apply.started', `apim-dr.snapshot.apply.${record.state}`, 'apim-dr.snapshot.taken'].sort(),
    );
    expect(named('apim-dr.snapshot.taken')).toMatchObject({ snapshotName: record.preApplySnapshot, trigger: 'pre-apply' });
    expect(named('apim-dr.snapshot.apply.started')).toMatchObject({ recordName: record.recordName, snapshotName: snapshot, target: V2_STANDBY });

    // By the operation ID it ran under: the target's lock, whose newest run it is.
    const byId = await h.api('GET', `/api/operations/${response.body.id}/logs`);
    expect(byId.status, JSON.stringify(byId.body)).toBe(200);
    expect(byId.body).toEqual(log);

    // Past the records retention the record is still its target's newest, so kept: and so are its events.
    await h.clock.advance(100 * 86_400_000);
    const swept = await retireOperationLogs(h.services, false);
    expect(swept.named).toBeGreaterThanOrEqual(1);
    expect((await h.services.operationEvents.read(record.correlationId!)).length).toBe(3);

    await loadInProcessModules('logs');
    for (const name of [record.recordName, bare]) {
      let printed = '';
      const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((printed += chunk.toString()), done()) });
      expect(await logsCommand(h.services, name, createOutput('table', sink, sink))).toBe(0);
      expect(printed).toContain(`snapshot-apply ${record.recordName} (${record.state}), correlation ID ${record.correlationId}`);
      expect(printed).toMatch(/snapshot\.apply\.started\s+recordName=/);
    }
  });

  it('answers for a snapshot take by its operation ID and by the snapshot’s name', async () => {
    const response = await h.api('POST', '/api/snapshots', { service: V2 });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus, JSON.stringify(instance.output)).toBe('Completed');
    const { snapshotName } = instance.output as { snapshotName: string };
    const manifest = await h.services.snapshots.readManifest(snapshotName);
    expect(manifest.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    await h.services.operationEvents.flush();

    const byName = await h.api('GET', `/api/operations/${snapshotName}/logs`);
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect(byName.body).toMatchObject({ kind: 'snapshot', operation: snapshotName, correlationId: manifest.correlationId, state: 'taken' });
    expect((byName.body as OperationLog).events.map((e) => e.event)).toEqual(['apim-dr.snapshot.taken']);
    expect((byName.body as OperationLog).events[0]).toMatchObject({ snapshotName, service: V2, trigger: 'manual' });
    // Its operation ID names its newest take (an older snapshot, taken in process before, is not it).
    const byId = await h.api('GET', `/api/operations/${response.body.id}/logs`);
    expect(byId.status, JSON.stringify(byId.body)).toBe(200);
    expect(byId.body).toEqual(byName.body);
    // The dry run's ID names no log: it keeps none, and says where its answer is.
    const check = await h.api('GET', `/api/operations/snapshot-check-${V2_STANDBY}-00000000/logs`);
    expect(check.status).toBe(404);
    expect(check.body.error.message).toContain('is a dry run');
  });
});
