/**
 * The HTTP dry run of a snapshot apply within what an HTTP request may take in Azure (230 s): a whole target is read in
 * parts by an orchestration (202 and a status URL), a small `only` scope is answered at once; the answer is the same.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedResource } from '../../dev/sandbox/configApi';
import { parseServiceId } from '../../src/domain/resourceId';
import { checkSnapshotApply } from '../../src/workflows/snapshot/applySnapshot';
import { INLINE_CHECK_MAX_RESOURCES } from '../../src/workflows/snapshot/requestSnapshotCheck';
import { APIS_PER_PART } from '../../src/workflows/snapshot/snapshotParts';
import { snapshotOf } from '../../src/workflows/snapshot/takeSnapshot';
import { seedFullConfiguration } from '../support/configSeed';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, V2_STANDBY, v2Config } from '../support/v2Fleet';

describe('the HTTP dry run of a snapshot apply', () => {
  let h: Harness;
  let name: string;
  const activities: { name: string; reads: number }[] = [];
  const standbyReads = () => h.sandbox.apim.count('config.list', V2_STANDBY) + h.sandbox.apim.count('config.get', V2_STANDBY);

  beforeEach(async () => {
    activities.length = 0;
    h = await startHarness({
      services: V2_SERVICES,
      config: v2Config,
      hooks: {
        payloadLimitBytes: 65_536,
        duplicateActivity: (activity) => {
          activities.push({ name: activity, reads: standbyReads() });
          return 0;
        },
      },
    });
    seedFullConfiguration(h.sandbox.apim.service(V2), { apis: 2, operations: 2 });
    // The standby holds more than one page of APIs of its own: its whole read is several parts.
    for (let a = 0; a < 2 * APIS_PER_PART + 5; a++)
      seedResource(h.sandbox.apim.service(V2_STANDBY), `apis/many-${a}`, { displayName: `many ${a}`, path: `many-${a}`, protocols: ['https'] });
    name = (await snapshotOf(h.services, parseServiceId(idOf(V2))!, 'manual', 'test')).snapshotName;
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers a whole-target check with 202 and a status URL, reads the target in parts, and ends with the same bounded answer', async () => {
    const request = { snapshot: name, target: V2_STANDBY };
    const response = await h.api('POST', '/api/snapshots/apply/check', request);
    expect(response.status).toBe(202);
    expect(response.headers.get('Retry-After')).toBe('5');
    expect(response.body).toMatchObject({ snapshot: name, target: V2_STANDBY, started: true });
    expect(response.headers.get('Location')).toBe(response.body.statusQueryGetUri);
    expect(response.body.id).toMatch(/^snapshot-check-contoso-apim-v2-neu-[0-9a-f]{8}$/);

    // The same question while it runs joins it: the target is read once.
    const again = await h.api('POST', '/api/snapshots/apply/check', request);
    expect(again.body).toMatchObject({ id: response.body.id, started: false });

    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus, JSON.stringify(instance.output)).toBe('Completed');
    // The check activity (the dry run's own, which answers a user error as data) plans on the staged parts: it reads nothing of the target itself.
    const at = activities.findIndex((a) => a.name === 'checkSnapshotApplyOutcome');
    expect(at).toBeGreaterThan(0);
    expect((activities[at + 1]?.reads ?? standbyReads()) - activities[at]!.reads).toBe(0);
    expect(activities.filter((a) => a.name === 'readSnapshotPart').length).toBeGreaterThanOrEqual(3);
    expect(h.host.engine.largestPayload.bytes).toBeLessThan(65_536);

    const status = await h.api('GET', new URL(response.body.statusQueryGetUri).pathname);
    expect(status.body.runtimeStatus).toBe('Completed');
    const inProcess = await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, requestedBy: 'test' });
    expect(status.body.output).toEqual(inProcess);
    expect(status.body.output).toMatchObject({ scoped: false, targetTier: 'StandardV2' });

    // The staged read is cleared with the answer.
    const left: string[] = [];
    for await (const blob of h.services.snapshots.container.listBlobsFlat({ prefix: 'snapshot-staging/' })) left.push(blob.name);
    expect(left).toEqual([]);
  });

  it('answers a small --only check at once (200), as before', async () => {
    const response = await h.api('POST', '/api/snapshots/apply/check', { snapshot: name, target: V2_STANDBY, only: ['apis/api-1'] });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(await checkSnapshotApply(h.services, { snapshotName: name, target: V2_STANDBY, only: ['apis/api-1'], requestedBy: 'test' }));
    expect(response.body).toMatchObject({ scoped: true, snapshotName: name });
    expect(response.body.counts.create).toBeGreaterThan(0);
    expect(response.body.counts.create).toBeLessThanOrEqual(INLINE_CHECK_MAX_RESOURCES);
    expect([...h.host.engine.instances.keys()].filter((id) => id.startsWith('snapshot-check-'))).toEqual([]);
  });

  it('runs an --only check whose scope is beyond one request as an orchestration too', async () => {
    const source = h.sandbox.apim.service(V2);
    for (let o = 0; o < INLINE_CHECK_MAX_RESOURCES; o++)
      seedResource(source, `apis/api-1/operations/op-${o}`, { displayName: `op ${o}`, method: 'GET', urlTemplate: `/op-${o}` });
    const big = (await snapshotOf(h.services, parseServiceId(idOf(V2))!, 'manual', 'test')).snapshotName;
    const response = await h.api('POST', '/api/snapshots/apply/check', { snapshot: big, target: V2_STANDBY, only: ['apis/api-1'] });
    expect(response.status).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus, JSON.stringify(instance.output)).toBe('Completed');
    expect(instance.output).toEqual(await checkSnapshotApply(h.services, { snapshotName: big, target: V2_STANDBY, only: ['apis/api-1'], requestedBy: 'test' }));
    expect((instance.output as { counts: { create: number } }).counts.create).toBeGreaterThan(INLINE_CHECK_MAX_RESOURCES);
  });

  it('refuses a target that is not a standby at once, starting nothing and reading nothing of it', async () => {
    const reads = () => h.sandbox.apim.count('config.list', 'contoso-apim-dev') + h.sandbox.apim.count('config.get', 'contoso-apim-dev');
    const response = await h.api('POST', '/api/snapshots/apply/check', { snapshot: name, target: 'contoso-apim-dev' });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('NotAStandby');
    expect(reads()).toBe(0);
    expect([...h.host.engine.instances.keys()].filter((id) => id.startsWith('snapshot-check-'))).toEqual([]);
  });
});
