import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import { resolveService } from '../../../src/config/resolveService';
import { discoveredIn, originOf, withDiscovered } from '../../../src/config/withDiscovered';
import type { DiscoveredInstance, DiscoveryState } from '../../../src/domain/discovery';
import { configSchema } from '../../../src/config/schema';
import { describeIssue } from '../../../src/validation';

const SUB = '00000000-0000-0000-0000-000000000001';
const ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one`;
const storage = { account: 'backupacct', container: 'apim-backups' };
const discovery = { subscriptions: [SUB], tag: { name: 'apim-dr', value: 'protect' } };

/** Every problem the schema finds, as the config error reports them. */
const problems = (raw: unknown) => (configSchema.safeParse(raw, { reportInput: true }).error?.issues ?? []).map(describeIssue);

const found = (name: string, tags: Record<string, string> = {}, sub = SUB): DiscoveredInstance => ({
  id: `/subscriptions/${sub}/resourceGroups/rg-${name}/providers/Microsoft.ApiManagement/service/${name}`,
  name,
  subscriptionId: sub,
  location: 'westeurope',
  sku: 'Premium',
  platform: 'stv2',
  tags: { 'apim-dr': 'protect', ...tags },
  foundAt: '2026-03-01T00:05:00.000Z',
});

const state = (instances: DiscoveredInstance[], lost: DiscoveryState['lost'] = []): DiscoveryState => ({ schemaVersion: 1, instances, lost });

describe('discovery config', () => {
  it('accepts discovery without any services, with an hourly refresh by default', () => {
    const config = parseConfig({ storage, discovery });
    expect(config.services).toEqual([]);
    expect(config.discovery).toEqual({ ...discovery, refresh: 3_600_000 });
  });

  it('still requires something to protect: services or discovery', () => {
    expect(problems({ storage })).toEqual([
      { path: 'services', message: expect.stringContaining("list at least one APIM instance to protect, or add 'discovery'") },
    ]);
  });

  it('names every bad discovery field, with its fix', () => {
    const found = problems({
      storage,
      discovery: { subscriptions: ['sub-one'], managementGroup: 'mg', tag: { name: "x']|drop", value: '' }, refresh: 'PT1M', extra: 1 },
    });
    expect(found.map((p) => p.path).sort()).toEqual(
      ['discovery', 'discovery', 'discovery.refresh', 'discovery.subscriptions[0]', 'discovery.tag.name', 'discovery.tag.value'].sort(),
    );
    expect(found.find((p) => p.path === 'discovery.tag.name')!.message).toContain("letters, digits and _ . : - (e.g. 'apim-dr')");
    expect(found.some((p) => p.message.includes("either 'subscriptions'"))).toBe(true);
  });

  it('takes a management group instead of subscriptions', () => {
    expect(parseConfig({ storage, discovery: { managementGroup: 'mg-platform', tag: discovery.tag } }).discovery?.managementGroup).toBe('mg-platform');
  });
});

describe('the config with discovered instances', () => {
  const base = parseConfig({ storage, services: [{ id: ID, rpo: 'PT6H' }], discovery, defaults: { rpo: 'P1D' } });

  it('protects each found instance with the defaults and its own tags, and resolves it by name', () => {
    const config = withDiscovered(base, state([found('apim-two', { 'apim-dr-rpo': 'PT4H' }), found('apim-three')]));
    expect(resolveService(config, 'apim-two').rpoMs).toBe(4 * 3_600_000);
    expect(resolveService(config, 'APIM-THREE').rpoMs).toBe(86_400_000);
    expect(originOf(config, found('apim-two').id)).toBe('tag');
    expect(originOf(config, ID)).toBe('config');
  });

  it('lets a configured instance win over the same one found by tag', () => {
    const same = { ...found('apim-one'), id: ID, tags: { 'apim-dr': 'protect', 'apim-dr-rpo': 'P2D' } };
    const config = withDiscovered(base, state([same]));
    expect(config.services).toHaveLength(1);
    expect(resolveService(config, 'apim-one').rpoMs).toBe(6 * 3_600_000);
    expect(discoveredIn(config)!.skipped).toEqual([{ name: 'apim-one', id: ID, reason: expect.stringContaining("listed in 'services'") }]);
  });

  it('does not protect a found instance whose name another instance already has', () => {
    const twin = found('apim-one', {}, '00000000-0000-0000-0000-000000000002');
    const config = withDiscovered(base, state([twin]));
    expect(config.services).toHaveLength(1);
    expect(discoveredIn(config)!.skipped[0]!.reason).toContain('the name is already used by');
  });

  it('hands lost instances to the sweep as retired, unless they are protected again', () => {
    const config = withDiscovered(
      base,
      state(
        [found('apim-back')],
        [
          { id: found('apim-gone').id, name: 'apim-gone', lostAt: '2026-03-01T01:05:00.000Z' },
          { id: found('apim-back').id, name: 'apim-back', lostAt: '2026-03-01T01:05:00.000Z' },
        ],
      ),
    );
    expect(config.retired).toEqual(['apim-gone']);
  });

  it('keeps a bad tag as a finding and the defaults for that setting', () => {
    const config = withDiscovered(base, state([found('apim-two', { 'apim-dr-rpo': '4 hours' })]));
    expect(resolveService(config, 'apim-two').rpoMs).toBe(86_400_000);
    expect(discoveredIn(config)!.findings.get('apim-two')).toEqual([expect.stringContaining("tag apim-dr-rpo: '4 hours' is not a positive ISO 8601 duration")]);
  });

  it('is the config itself when discovery is off or has not run', () => {
    const plain = parseConfig({ storage, services: [{ id: ID }] });
    expect(withDiscovered(plain, state([found('apim-two')]))).toBe(plain);
    expect(withDiscovered(base, undefined)).toBe(base);
  });
});
