/**
 * Snapshot benchmark (sandbox over HTTPS, the real ARM pipeline, Azurite): a Standard v2 instance of 200 APIs × 20
 * operations, each with its policy. Reports ARM requests per snapshot against the minimum its resources need (one
 * request per collection page and per singleton), wall time at the chosen concurrency, the gzip size; then a full
 * apply into an empty Standard v2 standby and the apply of one API into the live instance: requests and time. Peak
 * memory of each. Prints JSON.
 *
 * With `--workspaces N`, the instance also has N workspaces of 10 APIs each (same operations and policies, each
 * workspace with its own backend and named value, as a workspace's policies may name only its own).
 *
 *   npx tsx bench/snapshot.bench.ts [--apis 200] [--operations 20] [--concurrency 8] [--workspaces 0]
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/loadConfig';
import { revisionPath } from '../src/domain/snapshot/apiRevisions';
import { childTypes, kindOf, listedUnder, TOP_LEVEL_TYPES, typeOfPath } from '../src/domain/snapshot/resourceTypes';
import { DEFAULT_PAGE_SIZE, removeResource, seedResource } from '../dev/sandbox/configApi';
import { DEMO_V2, DEMO_V2_STANDBY, demoV2Services, demoV2Specs } from '../dev/sandbox/demoV2';
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION, startSandbox } from '../dev/sandbox/startSandbox';
import type { SandboxService } from '../dev/sandbox/model';
import { createServices } from '../src/services';
import { createLogger } from '../src/telemetry/logger';
import { applySnapshot, checkSnapshotApply, preApplyScope } from '../src/workflows/snapshot/applySnapshot';
import { finishSnapshotParts, planSnapshotParts, readSnapshotPart } from '../src/workflows/snapshot/snapshotParts';
import { PARTS_AT_ONCE } from '../src/workflows/snapshot/takeInParts';
import { snapshotOf } from '../src/workflows/snapshot/takeSnapshot';
import { round, runBenchmark } from './support';

const { values } = parseArgs({
  options: {
    apis: { type: 'string', default: '200' },
    operations: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
    workspaces: { type: 'string', default: '0' },
  },
});
const WORKSPACES = Number(values.workspaces);
const APIS_PER_WORKSPACE = 10;
const APIS = Number(values.apis);
const OPERATIONS = Number(values.operations);
const CONCURRENCY = Number(values.concurrency);

/** Peak RSS and heap while `work` runs, sampled every 20 ms. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number; peakHeapMb: number }> {
  global.gc?.();
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  const start = performance.now();
  try {
    const result = await work();
    sample();
    return { result, ms: round(performance.now() - start, 0), peakRssMb: round(rss / 2 ** 20, 1), peakHeapMb: round(heap / 2 ** 20, 1) };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const v2 = demoV2Specs(SANDBOX_SUBSCRIPTION);
  const sandbox = await startSandbox({ services: [...SAMPLE_SERVICES, ...v2] });
  const source = sandbox.apim.service(DEMO_V2);
  seedResource(source, 'namedValues/backend-host', { displayName: 'backend-host', value: 'orders.contoso.example', secret: false });
  seedResource(source, 'backends/orders', { url: 'https://orders.weu.contoso.example', protocol: 'http' });
  seedResource(source, 'products/partners', { displayName: 'Partners', state: 'published' });
  for (let a = 0; a < APIS; a++) {
    const api = `api-${a}`;
    seedResource(source, `apis/${api}`, { displayName: api, path: api, protocols: ['https'], serviceUrl: `https://${api}.contoso.example` });
    seedResource(source, `apis/${api}/policies/policy`, {
      format: 'rawxml',
      value: '<policies><inbound><base /><set-backend-service backend-id="orders" /></inbound></policies>',
    });
    seedResource(source, `products/partners/apis/${api}`);
    for (let o = 0; o < OPERATIONS; o++) {
      seedResource(source, `apis/${api}/operations/op-${o}`, { displayName: `op ${o}`, method: o % 2 ? 'POST' : 'GET', urlTemplate: `/items/${o}` });
      seedResource(source, `apis/${api}/operations/op-${o}/policies/policy`, {
        format: 'rawxml',
        value: `<policies><inbound><base /><rate-limit calls="${100 + o}" renewal-period="60" /><set-header name="x-host" exists-action="override"><value>{{backend-host}}</value></set-header></inbound></policies>`,
      });
    }
  }
  for (let w = 0; w < WORKSPACES; w++) seedWorkspace(source, `ws-${w}`);
  const raw = sandbox.config() as { services: Record<string, unknown>[] };
  raw.services = [...raw.services.filter((s) => !/\/contoso-apim-v2-/.test(String(s.id))), ...demoV2Services(v2)];
  const services = createServices(parseConfig(raw), { settings: sandbox.settings, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
  const base = services.configClient.bind(services);
  services.configClient = (ref, options) => base(ref, { ...options, concurrency: CONCURRENCY });
  const requests = (from: number) => sandbox.apim.requests.slice(from).filter((r) => r.kind.startsWith('config.'));
  const ref = (name: string) => {
    const s = sandbox.apim.service(name);
    return { id: s.id, subscriptionId: s.spec.subscriptionId, resourceGroup: s.spec.resourceGroup, name };
  };

  // Take.
  let mark = sandbox.apim.requests.length;
  const take = await measured(() => snapshotOf(services, ref(DEMO_V2), 'manual', 'bench'));
  const takeRequests = requests(mark).length;
  const document = await services.snapshots.readDocument(take.result);
  // The minimum: one request per page of every collection read (top-level lists, each resource's child lists and policies).
  const collections = new Map<string, number>();
  for (const t of TOP_LEVEL_TYPES) collections.set(t.pattern.toLowerCase(), 0);
  for (const r of document.resources) {
    const type = typeOfPath(r.path)!;
    // Operation tags come in one list per API (operationsByTags); resolvers are listed under GraphQL APIs alone.
    const collection = (type.listedBy ? `${r.path.split('/').slice(0, 2).join('/')}/${type.listedBy}` : r.path.split('/').slice(0, -1).join('/')).toLowerCase();
    collections.set(collection, (collections.get(collection) ?? 0) + 1);
    for (const nested of listedUnder(type.pattern))
      collections.set(`${r.path}/${nested.listedBy}`.toLowerCase(), collections.get(`${r.path}/${nested.listedBy}`.toLowerCase()) ?? 0);
    if (!type.linkTo)
      for (const child of childTypes(type.pattern).filter((c) => !c.listedBy && (!c.underApiType || r.properties?.type === c.underApiType)))
        collections.set(
          `${r.path}/${child.pattern.split('/').pop()}`.toLowerCase(),
          collections.get(`${r.path}/${child.pattern.split('/').pop()}`.toLowerCase()) ?? 0,
        );
  }
  // Also needed: each API's list of revisions (`GET apis` shows current revisions only), the service's and each
  // workspace's, and a GET of each item whose list leaves fields out (releases).
  for (const r of document.resources) {
    const type = typeOfPath(r.path);
    if (type && kindOf(type) === 'apis' && !revisionPath(r.path)) collections.set(`${r.path}/revisions`.toLowerCase(), 0);
  }
  const readOneByOne = document.resources.filter((r) => typeOfPath(r.path)?.getEach).length;
  const minimum = [...collections.values()].reduce((n, items) => n + Math.max(1, Math.ceil(items / DEFAULT_PAGE_SIZE)), 0) + readOneByOne;

  // The same take as the orchestration runs it: the plan, the parts a few at a time, the finish (snapshotParts.ts).
  mark = sandbox.apim.requests.length;
  let largestPart = { armRequests: 0, payloadBytes: 0 };
  const inParts = await measured(async () => {
    const input = { serviceId: ref(DEMO_V2).id, trigger: 'manual' as const, requestedBy: 'bench' };
    const runId = `bench.${Date.now()}`;
    const plan = await planSnapshotParts(services, input);
    let armRequests = plan.armRequests;
    for (let first = 0; first < plan.parts.length; first += PARTS_AT_ONCE) {
      const done = await Promise.all(
        plan.parts.slice(first, first + PARTS_AT_ONCE).map(async (part, i) => {
          const partInput = { serviceId: input.serviceId, runId, index: first + i, part };
          const result = await readSnapshotPart(services, partInput);
          const payloadBytes = Math.max(JSON.stringify(partInput).length, JSON.stringify(result).length);
          if (result.armRequests > largestPart.armRequests) largestPart = { armRequests: result.armRequests, payloadBytes };
          return result;
        }),
      );
      armRequests += done.reduce((n, d) => n + d.armRequests, 0);
    }
    const summary = await finishSnapshotParts(services, { ...input, runId, takenAt: plan.takenAt, parts: plan.parts.length, armRequests });
    return { summary, parts: plan.parts.length, planBytes: JSON.stringify(plan).length };
  });
  const inPartsRequests = requests(mark).length;

  // Full apply into the empty v2 standby: dry run, pre-apply snapshot, writes, verification.
  mark = sandbox.apim.requests.length;
  const full = await measured(async () => {
    const requestedAt = new Date().toISOString();
    const request = { snapshotName: take.result.snapshotName, target: DEMO_V2_STANDBY, requestedBy: 'bench' };
    const check = await checkSnapshotApply(services, request);
    const before = await snapshotOf(services, ref(DEMO_V2_STANDBY), 'pre-apply', 'bench');
    const record = await applySnapshot(services, { ...request, preApplySnapshot: before.snapshotName, requestedAt });
    return { check, record };
  });
  const fullRequests = requests(mark);

  // One deleted API back into the live instance.
  removeResource(source, 'apis/api-7');
  mark = sandbox.apim.requests.length;
  const one = await measured(async () => {
    const requestedAt = new Date().toISOString();
    const request = { snapshotName: take.result.snapshotName, target: DEMO_V2, only: ['apis/api-7'], requestedBy: 'bench' };
    const check = await checkSnapshotApply(services, request);
    const before = await snapshotOf(services, ref(DEMO_V2), 'pre-apply', 'bench', preApplyScope(request));
    const record = await applySnapshot(services, { ...request, preApplySnapshot: before.snapshotName, requestedAt });
    return { check, record };
  });
  const oneRequests = requests(mark);
  const writes = (list: typeof fullRequests) =>
    list.filter((r) => r.kind === 'config.put' || r.kind === 'config.delete' || r.kind === 'config.operation').length;

  console.log(
    JSON.stringify(
      {
        instance: {
          tier: 'StandardV2',
          apis: APIS,
          operationsPerApi: OPERATIONS,
          workspaces: WORKSPACES,
          apisPerWorkspace: WORKSPACES ? APIS_PER_WORKSPACE : 0,
          resources: take.result.resourceCount,
          counts: take.result.counts,
        },
        concurrency: CONCURRENCY,
        snapshot: {
          armRequests: takeRequests,
          minimumRequests: minimum,
          ratio: round(takeRequests / minimum, 3),
          wallMs: take.ms,
          gzipBytes: take.result.blobSize,
          peakRssMb: take.peakRssMb,
          peakHeapMb: take.peakHeapMb,
        },
        snapshotInParts: {
          parts: inParts.result.parts,
          armRequests: inPartsRequests,
          ratio: round(inPartsRequests / minimum, 3),
          largestPartArmRequests: largestPart.armRequests,
          largestPartPayloadBytes: largestPart.payloadBytes,
          planPayloadBytes: inParts.result.planBytes,
          resources: inParts.result.summary.resourceCount,
          wallMs: inParts.ms,
          peakRssMb: inParts.peakRssMb,
          peakHeapMb: inParts.peakHeapMb,
        },
        applyIntoEmptyStandby: {
          state: full.result.record.state,
          verdict: full.result.check.verdict,
          writes: writes(fullRequests),
          armRequests: fullRequests.length,
          armRequestsOfWhichReads: fullRequests.length - writes(fullRequests),
          verified: full.result.record.verification?.checked,
          mismatched: full.result.record.verification?.mismatched.length,
          wallMs: full.ms,
          rtoMs: full.result.record.rtoMs,
          peakRssMb: full.peakRssMb,
          peakHeapMb: full.peakHeapMb,
        },
        applyOneApiIntoLive: {
          state: one.result.record.state,
          counts: one.result.record.counts,
          writes: writes(oneRequests),
          armRequests: oneRequests.length,
          wallMs: one.ms,
          peakRssMb: one.peakRssMb,
          peakHeapMb: one.peakHeapMb,
        },
      },
      null,
      2,
    ),
  );
  await sandbox.close();
}

/** A workspace of APIS_PER_WORKSPACE APIs; every name carries the workspace's (names are unique across workspaces). */
function seedWorkspace(source: SandboxService, ws: string) {
  const at = `workspaces/${ws}`;
  seedResource(source, at, { displayName: ws });
  seedResource(source, `${at}/namedValues/${ws}-host`, { displayName: `${ws}-host`, value: `${ws}.contoso.example`, secret: false });
  seedResource(source, `${at}/backends/${ws}-backend`, { url: `https://${ws}.contoso.example`, protocol: 'http' });
  for (let a = 0; a < APIS_PER_WORKSPACE; a++) {
    const api = `${ws}-api-${a}`;
    seedResource(source, `${at}/apis/${api}`, { displayName: api, path: `${ws}/${api}`, protocols: ['https'], serviceUrl: `https://${api}.contoso.example` });
    seedResource(source, `${at}/apis/${api}/policies/policy`, {
      format: 'rawxml',
      value: `<policies><inbound><base /><set-backend-service backend-id="${ws}-backend" /></inbound></policies>`,
    });
    for (let o = 0; o < OPERATIONS; o++) {
      seedResource(source, `${at}/apis/${api}/operations/op-${o}`, { displayName: `op ${o}`, method: 'GET', urlTemplate: `/items/${o}` });
      seedResource(source, `${at}/apis/${api}/operations/op-${o}/policies/policy`, {
        format: 'rawxml',
        value: `<policies><inbound><base /><set-header name="x-host" exists-action="override"><value>{{${ws}-host}}</value></set-header></inbound></policies>`,
      });
    }
  }
}

runBenchmark(main);
