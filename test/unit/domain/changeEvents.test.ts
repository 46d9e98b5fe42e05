import { describe, expect, it } from 'vitest';
import { classifyEvent } from '../../../src/domain/changeEvents';
import { EMPTY_CHANGES, consumeBurst, isBurstDue, recordChange } from '../../../src/domain/pendingChanges';
import { apimEvent, armEvent, cloudEvent } from '../../support/eventPayloads';

const SERVICE = '/subscriptions/55555555-5555-5555-5555-555555555555/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one';
const at = new Date('2026-02-01T10:00:00Z');
const RECEIVED = new Date('2026-02-01T10:00:05Z');
const classify = (raw: unknown) => classifyEvent(raw, RECEIVED);

describe('classifying change events', () => {
  it('maps an APIM event to its instance', () => {
    expect(classify(apimEvent(SERVICE, 'Microsoft.ApiManagement.APIUpdated', '/apis/echo-api;Rev=1', at, 'e1'))).toMatchObject({
      kind: 'change',
      id: 'e1',
      service: { name: 'apim-one' },
      resource: `${SERVICE}/apis/echo-api;Rev=1`,
      at: '2026-02-01T10:00:00.000Z',
    });
  });

  it('maps ARM write and delete events under the instance, including policies APIM does not report', () => {
    const policy = armEvent(
      SERVICE,
      'Microsoft.Resources.ResourceWriteSuccess',
      'Microsoft.ApiManagement/service/apis/policies/write',
      '/apis/a/policies/policy',
      at,
    );
    expect(classify(policy)).toMatchObject({ kind: 'change', service: { name: 'apim-one' } });
    expect(
      classify(armEvent(SERVICE, 'Microsoft.Resources.ResourceDeleteSuccess', 'Microsoft.ApiManagement/service/namedValues/delete', '/namedValues/n', at)).kind,
    ).toBe('change');
  });

  it('never counts an action as a configuration change: its own backup, restore and migration, reads, tokens, network updates', () => {
    for (const [operation, resource] of [
      ['Microsoft.ApiManagement/service/backup/action', ''],
      ['Microsoft.ApiManagement/service/restore/action', ''],
      ['Microsoft.ApiManagement/service/migrateToStv2/action', ''],
      ['Microsoft.ApiManagement/service/applynetworkconfigurationupdates/action', ''],
      ['Microsoft.ApiManagement/service/users/token/action', '/users/u1'],
      ['Microsoft.ApiManagement/service/subscriptions/listSecrets/action', '/subscriptions/s1'],
      ['', ''],
    ] as const) {
      expect(classify(armEvent(SERVICE, 'Microsoft.Resources.ResourceActionSuccess', operation, resource, at)), operation).toMatchObject({
        kind: 'ignored',
        reason: expect.stringContaining('is an action, not a configuration change'),
      });
    }
  });

  it('takes the deletion of the instance itself for an instance deleted, not a change; deleting a child resource is a change', () => {
    const deleted = armEvent(SERVICE, 'Microsoft.Resources.ResourceDeleteSuccess', 'Microsoft.ApiManagement/service/delete', '', at, 'd1');
    expect(classify(deleted)).toEqual({ kind: 'instance-deleted', id: 'd1', at: at.toISOString(), service: expect.objectContaining({ name: 'apim-one' }) });
    const api = armEvent(SERVICE, 'Microsoft.Resources.ResourceDeleteSuccess', 'Microsoft.ApiManagement/service/apis/delete', '/apis/a', at);
    expect(classify(api).kind).toBe('change');
    const written = armEvent(SERVICE, 'Microsoft.Resources.ResourceWriteSuccess', 'Microsoft.ApiManagement/service/write', '', at);
    expect(classify(written).kind).toBe('change');
  });

  it('ignores other event types and resources outside APIM', () => {
    expect(classify({ ...apimEvent(SERVICE, 'Microsoft.Storage.BlobCreated', '/x', at) }).kind).toBe('ignored');
    const vm = armEvent(
      '/subscriptions/55555555-5555-5555-5555-555555555555/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
      'Microsoft.Resources.ResourceWriteSuccess',
      'Microsoft.Compute/virtualMachines/write',
      '',
      at,
    );
    expect(classify(vm)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not under an APIM instance') });
  });

  it('accepts CloudEvents', () => {
    expect(classify(cloudEvent(SERVICE, 'Microsoft.ApiManagement.ProductCreated', '/products/p', at)).kind).toBe('change');
  });

  it('dates a CloudEvent without a time at its receipt, never at 1970, so that a backup still covers it', () => {
    const { time: _time, ...untimed } = cloudEvent(SERVICE, 'Microsoft.ApiManagement.ProductCreated', '/products/p', at);
    expect(classify(untimed)).toMatchObject({ kind: 'change', at: RECEIVED.toISOString() });
  });

  it('reports malformed and oversized events with their id', () => {
    expect(classify({ id: 'x1', eventType: 'Microsoft.ApiManagement.APIUpdated' })).toMatchObject({ kind: 'malformed', id: 'x1' });
    expect(classify(null)).toMatchObject({ kind: 'malformed' });
    const huge = { ...apimEvent(SERVICE, 'Microsoft.ApiManagement.APIUpdated', '/apis/a', at, 'big'), data: { pad: 'x'.repeat(70_000) } };
    expect(classify(huge)).toMatchObject({ kind: 'malformed', id: 'big', reason: expect.stringContaining('bytes') });
  });
});

describe('debouncing', () => {
  const t = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
  const burst = [0, 2, 4].reduce((s, m, i) => recordChange(s, { id: `e${i}`, at: t(m).toISOString() }), EMPTY_CHANGES);

  it('counts a redelivered event once', () => {
    expect(recordChange(burst, { id: 'e1', at: t(9).toISOString() })).toBe(burst);
    expect(burst).toMatchObject({ count: 3, firstAt: t(0).toISOString(), lastAt: t(4).toISOString(), ids: ['e0', 'e1', 'e2'] });
  });

  it('is due after the quiet period, or at the latest after the maximum delay', () => {
    expect(isBurstDue(burst, t(8), 5 * 60_000, 30 * 60_000)).toBe(false);
    expect(isBurstDue(burst, t(9), 5 * 60_000, 30 * 60_000)).toBe(true);
    const busy = Array.from({ length: 40 }, (_, i) => i).reduce((s, m) => recordChange(s, { id: `b${m}`, at: t(m).toISOString() }), EMPTY_CHANGES);
    expect(isBurstDue(busy, t(30), 5 * 60_000, 30 * 60_000)).toBe(true);
  });

  it('forgets the burst but remembers the ids it has seen, once consumed', () => {
    const consumed = consumeBurst(burst);
    expect(consumed).toMatchObject({ count: 0, ids: [], seen: ['e0', 'e1', 'e2'] });
    expect(isBurstDue(consumed, t(60), 1, 1)).toBe(false);
    expect(recordChange(consumed, { id: 'e2', at: t(61).toISOString() })).toBe(consumed);
  });
});
