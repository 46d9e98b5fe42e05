/**
 * Only configuration writes are changes: the ARM resource events a resource group's system topic delivers for
 * apim-dr's own backups and migrations start nothing, and the deletion of a protected instance raises an incident.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { armEvent } from '../support/eventPayloads';
import { runToCompletion, startHarness, type Harness } from '../support/harness';
import { startWebhook } from '../support/webhook';

const MINUTE = 60_000;
const WEU = 'contoso-apim-weu';
const DEV = 'contoso-apim-dev';
const EVENTS = { enabled: true, quietPeriod: 'PT5M', maxDelay: 'PT30M' };

/** The keys of Microsoft's published ResourceActionSuccess sample for a resource group topic (event-schema-resource-groups). */
const SAMPLE_KEYS = {
  event: ['data', 'dataVersion', 'eventTime', 'eventType', 'id', 'metadataVersion', 'subject', 'topic'],
  data: ['authorization', 'claims', 'correlationId', 'httpRequest', 'operationName', 'resourceProvider', 'resourceUri', 'status', 'subscriptionId', 'tenantId'],
  authorization: ['action', 'evidence', 'scope'],
  evidence: ['principalId', 'principalType', 'role', 'roleAssignmentId', 'roleAssignmentScope', 'roleDefinitionId'],
  httpRequest: ['clientIpAddress', 'clientRequestId', 'method', 'url'],
  claims: [
    'aio',
    'appid',
    'appidacr',
    'aud',
    'exp',
    'http://schemas.microsoft.com/identity/claims/identityprovider',
    'http://schemas.microsoft.com/identity/claims/objectidentifier',
    'http://schemas.microsoft.com/identity/claims/tenantid',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
    'iat',
    'iss',
    'nbf',
    'uti',
    'ver',
  ],
};

type ResourceEvent = { eventType: string; subject: string; topic: string; data: Record<string, any> } & Record<string, unknown>;

describe('ARM resource events', () => {
  let h: Harness;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  const raised: ResourceEvent[] = [];

  beforeEach(async () => {
    raised.length = 0;
    webhook = await startWebhook();
    h = await startHarness({
      timers: true,
      settings: { OPS_WEBHOOK_URL: webhook.url },
      config: (sandbox) => {
        const config = sandbox.config({ schedule: '0 0 2 1 1 *' }) as { services: { id: string; events?: unknown }[] };
        for (const service of config.services) if (/contoso-apim-(weu|dev)$/.test(service.id)) service.events = EVENTS;
        // The in-place migration here runs alone: the two-person rule has its own tests.
        return { ...config, approvals: { inPlace: false }, notifications: { webhooks: [{ urlSetting: 'OPS_WEBHOOK_URL' }] } };
      },
    });
    h.sandbox.apim.onChange((event) => raised.push(event as ResourceEvent));
    // The first tick backs up the never-backed-up instances; after that the yearly schedule stays quiet.
    await h.clock.advance(15 * MINUTE);
  });
  afterEach(async () => {
    await h.close();
    await webhook.close();
  });

  const deliver = (events: unknown[]) => h.api('POST', '/runtime/webhooks/EventGrid?functionName=onConfigurationChange', events);
  const eventBackups = async (service: string) => (await h.services.catalog.list(service)).filter((e) => e.trigger === 'event');

  it('raises ResourceActionSuccess for its own backups and migrations in the shape of a resource group topic, and starts nothing on them', async () => {
    const migration = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    expect(migration.status).toBe(202);
    expect((await runToCompletion(h, migration.body.id)).output).toMatchObject({ state: 'succeeded' });
    const actions = raised.filter((e) => e.eventType === 'Microsoft.Resources.ResourceActionSuccess');
    const operations = new Set(actions.map((e) => e.data.operationName));
    expect(operations).toEqual(new Set(['Microsoft.ApiManagement/service/backup/action', 'Microsoft.ApiManagement/service/migrateToStv2/action']));

    const dev = h.sandbox.apim.service(DEV);
    const migrated = actions.find((e) => e.data.operationName.endsWith('/migrateToStv2/action'))!;
    expect(Object.keys(migrated).sort()).toEqual(SAMPLE_KEYS.event);
    expect(Object.keys(migrated.data).sort()).toEqual(SAMPLE_KEYS.data);
    expect(Object.keys(migrated.data.authorization).sort()).toEqual(SAMPLE_KEYS.authorization);
    expect(Object.keys(migrated.data.authorization.evidence).sort()).toEqual(SAMPLE_KEYS.evidence);
    expect(Object.keys(migrated.data.httpRequest).sort()).toEqual(SAMPLE_KEYS.httpRequest);
    expect(Object.keys(migrated.data.claims).sort()).toEqual(SAMPLE_KEYS.claims);
    expect(migrated).toMatchObject({
      topic: `/subscriptions/${dev.spec.subscriptionId}/resourceGroups/${dev.spec.resourceGroup}`,
      subject: dev.id,
      dataVersion: '2',
      metadataVersion: '1',
      data: {
        resourceProvider: 'Microsoft.ApiManagement',
        resourceUri: dev.id,
        status: 'Succeeded',
        subscriptionId: dev.spec.subscriptionId,
        authorization: { scope: dev.id, action: 'Microsoft.ApiManagement/service/migrateToStv2/action' },
        httpRequest: { method: 'POST', url: expect.stringMatching(new RegExp(`${dev.id}/migrateToStv2\\?api-version=2024-05-01$`)) },
      },
    });
    expect(Object.values(migrated.data.claims).every((v) => typeof v === 'string')).toBe(true);
    expect(migrated.data.correlationId).toEqual(expect.any(String));

    expect((await deliver(raised)).status).toBe(202);
    await h.clock.advance(40 * MINUTE);
    expect(await eventBackups(DEV)).toEqual([]);
    expect((await h.services.changes.read(DEV)).state.count).toBe(0);
  });

  it('raises an incident "instance deleted" when the protected instance itself is deleted, and starts nothing', async () => {
    const weu = h.sandbox.apim.service(WEU).id;
    const deleted = armEvent(weu, 'Microsoft.Resources.ResourceDeleteSuccess', 'Microsoft.ApiManagement/service/delete', '', h.clock.now());
    expect((await deliver([deleted])).status).toBe(202);
    await h.clock.advance(40 * MINUTE);
    expect(await eventBackups(WEU)).toEqual([]);
    expect((await h.services.changes.read(WEU)).state.count).toBe(0);
    expect(webhook.received.map((m) => m.text).filter((t) => t.includes('was deleted'))).toEqual([
      expect.stringContaining(`[apim-dr] ${WEU} was deleted in Azure`),
    ]);
  });
  it('closes the "instance deleted" incident, with one resolve message, once Azure reports the instance written again', async () => {
    const weu = h.sandbox.apim.service(WEU).id;
    const deleted = armEvent(weu, 'Microsoft.Resources.ResourceDeleteSuccess', 'Microsoft.ApiManagement/service/delete', '', h.clock.now());
    expect((await deliver([deleted])).status).toBe(202);
    await h.clock.advance(MINUTE);
    const recreated = armEvent(weu, 'Microsoft.Resources.ResourceWriteSuccess', 'Microsoft.ApiManagement/service/write', '', h.clock.now());
    expect((await deliver([recreated, { ...recreated, id: 'again' }])).status).toBe(202);
    expect(webhook.received.map((m) => m.text).filter((t) => t.includes('no longer reported deleted'))).toEqual([
      expect.stringContaining(`Resolved: ${WEU} is no longer reported deleted: Azure reported a write of the instance itself`),
    ]);
  });
});
