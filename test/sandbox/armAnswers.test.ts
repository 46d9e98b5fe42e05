/**
 * The sandbox answers as ARM does (Microsoft.ApiManagement 2024-05-01 and its examples, ARM's async operation
 * contract): operation URLs under the instance, Azure-AsyncOperation bodies, results that expire, synchronous 400s,
 * non-terminal states, paged lists, tier refusals, unknown api-versions and the platform versions.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/inProcess/hostClock';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../dev/sandbox/azurite';
import { SAMPLE_SERVICES, SANDBOX_CONTAINER, SANDBOX_SUBSCRIPTION, startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';

const API = 'api-version=2024-05-01';
const CONSUMPTION = {
  subscriptionId: SANDBOX_SUBSCRIPTION,
  resourceGroup: 'rg-apim-func',
  name: 'contoso-apim-func',
  location: 'West Europe',
  sku: { name: 'Consumption', capacity: 0 },
};

describe('the sandbox answers as ARM does', () => {
  let sandbox: RunningSandbox;
  const clock = new VirtualClock(new Date('2026-03-01T00:00:00Z'));

  beforeAll(async () => {
    sandbox = await startSandbox({ clock, durationMs: () => 60_000, operationResultTtlMs: 3_600_000, asyncStatusFor: ['restore'], pageSize: 2 });
    sandbox.apim.addService(CONSUMPTION);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const serviceUrl = (name: string) => `${sandbox.armEndpoint}${sandbox.apim.service(name).id}`;

  function call(method: string, url: string, body?: unknown): Promise<{ status: number; headers: Record<string, string>; body: any }> {
    const text = body === undefined ? '' : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: sandbox.caPem,
          headers: { Authorization: 'Bearer test', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: raw ? JSON.parse(raw) : undefined });
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  const backupBody = (backupName: string) => ({
    storageAccount: AZURITE_ACCOUNT,
    containerName: SANDBOX_CONTAINER,
    backupName,
    accessType: 'AccessKey',
    accessKey: AZURITE_KEY,
  });

  it('names the Location under the instance, answers 202 then 200, and forgets the result after a while (404)', async () => {
    const name = SAMPLE_SERVICES[0]!.name;
    const started = await call('POST', `${serviceUrl(name)}/backup?${API}`, backupBody('loc-test'));
    expect(started.status).toBe(202);
    expect(started.headers['location']).toMatch(
      new RegExp(`^https://[^/]+${sandbox.apim.service(name).id}/operationresults/[0-9a-f-]{36}\\?api-version=2024-05-01$`),
    );
    expect(started.headers['azure-asyncoperation']).toBeUndefined();
    expect((await call('GET', started.headers['location']!)).status).toBe(202);
    await clock.advance(61_000);
    const done = await call('GET', started.headers['location']!);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: sandbox.apim.service(name).id, properties: { provisioningState: 'Succeeded' } });
    await clock.advance(3_600_000);
    const expired = await call('GET', started.headers['location']!);
    expect(expired.status).toBe(404);
  });

  it('names an Azure-AsyncOperation URL for a restore, whose body says InProgress, then Failed with the error', async () => {
    const target = SAMPLE_SERVICES[1]!.name;
    sandbox.apim.failNextOperation(target, { code: 'BackupNotFound', message: "The backup 'missing' was not found." });
    const started = await call('POST', `${serviceUrl(target)}/restore?${API}`, backupBody('missing'));
    expect(started.status).toBe(202);
    const status = started.headers['azure-asyncoperation']!;
    expect(status).toMatch(new RegExp(`${sandbox.apim.service(target).id}/operationstatuses/[0-9a-f-]{36}\\?api-version=2024-05-01$`));
    expect((await call('GET', status)).body).toMatchObject({ status: 'InProgress' });
    await clock.advance(61_000);
    const failed = await call('GET', status);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'Failed', error: { code: 'BackupNotFound', message: "The backup 'missing' was not found." } });
  });

  it('refuses bad parameters at once with 400, starting nothing', async () => {
    const name = SAMPLE_SERVICES[0]!.name;
    const noKey = await call('POST', `${serviceUrl(name)}/backup?${API}`, { ...backupBody('x'), accessKey: undefined });
    expect(noKey).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameters' } } });
    const badType = await call('POST', `${serviceUrl(name)}/backup?${API}`, { ...backupBody('x'), accessType: 'Anonymous' });
    expect(badType).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameters' } } });
    expect(sandbox.apim.service(name).provisioningState).toBe('Succeeded');
  });

  it('answers 409 in every non-terminal provisioningState', async () => {
    const name = SAMPLE_SERVICES[0]!.name;
    for (const state of ['Created', 'Activating', 'Updating', 'Terminating']) {
      sandbox.apim.setProvisioningState(name, state);
      const answer = await call('POST', `${serviceUrl(name)}/backup?${API}`, backupBody('busy'));
      expect(answer.status, state).toBe(409);
      expect((await call('GET', `${serviceUrl(name)}?${API}`)).body.properties.provisioningState).toBe(state);
    }
    sandbox.apim.setProvisioningState(name, 'Succeeded');
  });

  it('pages lists with a nextLink the client follows as it is', async () => {
    const name = SAMPLE_SERVICES[0]!.name;
    const names: string[] = [];
    let url: string | undefined = `${serviceUrl(name)}/apis?${API}`;
    let pages = 0;
    while (url) {
      const page = await call('GET', url);
      expect(page.body.value.length).toBeLessThanOrEqual(2);
      names.push(...page.body.value.map((v: { name: string }) => v.name));
      url = page.body.nextLink;
      pages += 1;
    }
    // ARM promises no order across pages, only that following nextLink yields every item once.
    expect([...names].sort()).toEqual([...sandbox.apim.service(name).configuration.apis].sort());
    expect(pages).toBe(2);
  });

  it('answers MethodNotAllowedInPricingTier for workspace links where the tier has no workspaces', async () => {
    const developer = await call('GET', `${serviceUrl(SAMPLE_SERVICES[2]!.name)}/workspaceLinks?${API}`);
    expect(developer).toMatchObject({
      status: 400,
      body: { error: { code: 'MethodNotAllowedInPricingTier', message: 'Method not allowed in Developer pricing tier' } },
    });
    expect((await call('GET', `${serviceUrl(SAMPLE_SERVICES[0]!.name)}/workspaceLinks?${API}`)).status).toBe(200);
  });

  it('refuses an api-version it does not serve, as ARM does', async () => {
    const name = SAMPLE_SERVICES[0]!.name;
    const unknown = await call('GET', `${serviceUrl(name)}?api-version=2099-01-01`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('NoRegisteredProviderFound');
    expect(unknown.body.error.message).toMatch(
      /^No registered resource provider found for location 'westeurope' and API version '2099-01-01' for type 'service'/,
    );
    const malformed = await call('GET', `${serviceUrl(name)}?api-version=latest`);
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'InvalidApiVersionParameter' } } });
    expect((await call('GET', `${serviceUrl(name)}?api-version=2022-08-01`)).status).toBe(200);
  });

  it('reports the platform versions ARM does: mtv1 for Consumption, stv2.1 and undetermined as given', async () => {
    expect((await call('GET', `${serviceUrl(CONSUMPTION.name)}?${API}`)).body.properties.platformVersion).toBe('mtv1');
    const dev = sandbox.apim.service(SAMPLE_SERVICES[2]!.name);
    for (const version of ['stv2.1', 'undetermined']) {
      dev.platformVersion = version;
      expect((await call('GET', `${serviceUrl(dev.spec.name)}?${API}`)).body.properties.platformVersion).toBe(version);
      const migrate = await call('POST', `${serviceUrl(dev.spec.name)}/migrateToStv2?${API}`, { mode: 'PreserveIp' });
      expect(migrate).toMatchObject({ status: 400, body: { error: { code: 'NotSupported' } } });
    }
    dev.platformVersion = 'stv1';
  });
});
