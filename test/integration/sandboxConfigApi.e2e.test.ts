import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArmConfigError, type ArmConfigClient } from '../../src/azure/snapshot/armConfigClient';
import { parseServiceId } from '../../src/domain/resourceId';
import { seedResource, setPageSize } from '../../dev/sandbox/configApi';
import { startHarness, type Harness } from '../support/harness';
import { idOf, V2, V2_SERVICES, v2Config } from '../support/v2Fleet';

describe('the sandbox configuration API, through the ARM pipeline', () => {
  let h: Harness;
  let premium: ArmConfigClient;
  let standardV2: ArmConfigClient;
  beforeEach(async () => {
    h = await startHarness({ services: V2_SERVICES, config: v2Config });
    premium = h.services.configClient(parseServiceId(idOf('contoso-apim-weu'))!);
    standardV2 = h.services.configClient(parseServiceId(idOf(V2))!);
  });
  afterEach(async () => {
    await h.close();
  });

  it('pages lists with nextLink', async () => {
    setPageSize(h.sandbox.apim.service('contoso-apim-weu'), 2);
    const apis = await premium.list('apis');
    expect(apis.map((a) => a.name)).toEqual(['catalog', 'orders', 'payments']);
    expect(h.sandbox.apim.count('config.list', 'contoso-apim-weu')).toBe(2);
  });

  it('never returns a secret named value in a GET or a list', async () => {
    await standardV2.put('namedValues/key', { properties: { displayName: 'key', value: 'not-in-gets', secret: true } });
    const got = await standardV2.get('namedValues/key');
    expect(got?.item.properties).toEqual({ displayName: 'key', secret: true });
    expect(JSON.stringify(await standardV2.list('namedValues'))).not.toContain('not-in-gets');
    expect(h.sandbox.apim.count('config.put', V2)).toBe(1);
    expect(h.sandbox.apim.count('config.operation', V2)).toBe(1);
  });

  it('refuses a policy naming a named value, fragment or backend that does not exist', async () => {
    await standardV2.put('apis/orders', { properties: { displayName: 'orders', path: 'orders' } });
    const put = standardV2.put('apis/orders/policies/policy', {
      properties: { format: 'rawxml', value: '<policies><inbound><set-header name="x"><value>{{missing}}</value></set-header></inbound></policies>' },
    });
    await expect(put).rejects.toMatchObject({ status: 400, code: 'ValidationError' });
    await expect(standardV2.put('apis/other', { properties: { displayName: 'other' } })).rejects.toThrow(/'path' is required/);
  });

  it('answers MethodNotAllowedInPricingTier for self-hosted gateways on a v2 tier, and holds the v2 limits', async () => {
    const err = await standardV2.list('gateways').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArmConfigError);
    expect(err).toMatchObject({ status: 400, code: 'MethodNotAllowedInPricingTier' });
    expect(await premium.list('gateways')).toEqual([]);
    const v2 = h.sandbox.apim.service(V2);
    for (let i = 0; i < 100; i++) seedResource(v2, `tags/t${i}`, { displayName: `t${i}` });
    await expect(standardV2.put('tags/one-more', { properties: { displayName: 'x' } })).rejects.toMatchObject({ code: 'ServiceLimitReached' });
  });

  it('holds the v2 limits in a workspace: per API there, and per instance with the service', async () => {
    const v2 = h.sandbox.apim.service(V2);
    seedResource(v2, 'workspaces/team', { displayName: 'team' });
    seedResource(v2, 'workspaces/team/apis/big', { displayName: 'big', path: 'big' });
    for (let i = 0; i < 100; i++)
      seedResource(v2, `workspaces/team/apis/big/operations/op${i}`, { displayName: `op${i}`, method: 'GET', urlTemplate: `/${i}` });
    const operation = { properties: { displayName: 'more', method: 'GET', urlTemplate: '/more' } };
    await expect(standardV2.put('workspaces/team/apis/big/operations/one-more', operation)).rejects.toMatchObject({ code: 'ServiceLimitReached' });
    // Another API of the workspace has its own 100; a change of an existing operation is no new one.
    await standardV2.put('workspaces/team/apis/small', { properties: { displayName: 'small', path: 'small' } });
    await standardV2.put('workspaces/team/apis/small/operations/one-more', operation);
    await standardV2.put('workspaces/team/apis/big/operations/op0', operation);
    // APIs are counted per instance, the workspaces' with the service's: 500 on Standard v2.
    for (let i = 0; i < 498; i++) seedResource(v2, `apis/s${i}`, { displayName: `s${i}`, path: `s${i}` });
    await expect(standardV2.put('workspaces/team/apis/third', { properties: { displayName: 'third', path: 'third' } })).rejects.toMatchObject({
      code: 'ServiceLimitReached',
    });
    await expect(standardV2.put('apis/one-more', { properties: { displayName: 'one-more', path: 'one-more' } })).rejects.toMatchObject({
      code: 'ServiceLimitReached',
    });
  });

  it('changes ETags on every write and deletes a resource with its children and the links to it', async () => {
    await standardV2.put('tags/public', { properties: { displayName: 'public' } });
    const first = (await standardV2.get('tags/public'))!.etag;
    await standardV2.put('tags/public', { properties: { displayName: 'Public' } });
    expect((await standardV2.get('tags/public'))!.etag).not.toBe(first);
    await standardV2.put('apis/orders', { properties: { displayName: 'orders', path: 'orders' } });
    await standardV2.put('apis/orders/tags/public', undefined);
    await standardV2.put('apis/orders/operations/get', { properties: { displayName: 'get', method: 'GET', urlTemplate: '/' } });
    await standardV2.delete('tags/public');
    expect(await standardV2.list('apis/orders/tags')).toEqual([]);
    await standardV2.delete('apis/orders');
    expect(h.sandbox.apim.service(V2).configuration.apis).toEqual([]);
    expect(Object.keys(h.sandbox.apim.service(V2).configuration.resources ?? {})).toEqual([]);
  });

  it("holds ARM's write budget per subscription: 200 at once, then 10 a second, with Retry-After", async () => {
    const client = h.services.configClient(parseServiceId(idOf('contoso-apim-weu'))!, { throttleRetries: 0, concurrency: 16 });
    await Promise.all(Array.from({ length: 200 }, (_, i) => client.put(`tags/t${i}`, { properties: { displayName: `t${i}` } })));
    await expect(client.put('tags/one-more', { properties: { displayName: 'x' } })).rejects.toMatchObject({
      status: 429,
      code: 'SubscriptionRequestsThrottled',
    });
    await h.clock.advance(1_000);
    await client.put('tags/one-more', { properties: { displayName: 'x' } });
    expect(h.sandbox.apim.count('config.throttled')).toBeGreaterThanOrEqual(1);
  });

  it('serves workspaces as the specification shapes them: their own policy scope, names unique across them, 500s while new', async () => {
    await standardV2.put('namedValues/shared', { properties: { displayName: 'shared', value: 'x' } });
    await standardV2.put('workspaces/team', { properties: { displayName: 'Team' } });
    // A workspace's policy may not name the service's named values.
    const policy = {
      properties: { format: 'rawxml', value: '<policies><inbound><set-header name="x"><value>{{shared}}</value></set-header></inbound></policies>' },
    };
    await expect(standardV2.put('workspaces/team/policies/policy', policy)).rejects.toMatchObject({ status: 400, code: 'ValidationError' });
    // A new workspace's lists answer 500 a few times before they settle; the client asks again.
    expect(await standardV2.list('workspaces/team/apis')).toEqual([]);
    expect(h.sandbox.apim.count('config.notready', V2)).toBe(4);
    await standardV2.put('workspaces/team/namedValues/shared-too', { properties: { displayName: 'shared-too', value: 'y' } });
    await standardV2.put('workspaces/team/policies/policy', {
      properties: { format: 'rawxml', value: '<policies><inbound><set-header name="x"><value>{{shared-too}}</value></set-header></inbound></policies>' },
    });
    // Names are unique across the service and its workspaces.
    await expect(standardV2.put('workspaces/team/namedValues/shared', { properties: { displayName: 'shared', value: 'z' } })).rejects.toMatchObject({
      status: 400,
      code: 'ValidationError',
    });
    // A workspace's link names its other end in the body; it goes when that end is deleted.
    await standardV2.put('workspaces/team/apis/a', { properties: { displayName: 'a', path: 'a' } });
    await standardV2.put('workspaces/team/tags/t', { properties: { displayName: 't' } });
    await standardV2.put('workspaces/team/tags/t/apiLinks/l', { properties: { apiId: `${idOf(V2)}/workspaces/team/apis/a` } });
    await expect(standardV2.put('workspaces/team/tags/t/apiLinks/m', { properties: { apiId: `${idOf(V2)}/workspaces/team/apis/none` } })).rejects.toMatchObject(
      {
        status: 400,
      },
    );
    await standardV2.delete('workspaces/team/apis/a');
    expect(await standardV2.list('workspaces/team/tags/t/apiLinks')).toEqual([]);
    // On a tier without workspaces, ARM says so.
    await expect(h.services.configClient(parseServiceId(idOf('contoso-apim-dev'))!).list('workspaces')).rejects.toMatchObject({
      code: 'MethodNotAllowedInPricingTier',
    });
  });
});
