import { describe, expect, it } from 'vitest';
import * as rules from '../../../src/domain/migrationRules';
import type { MigrationCheckInput, MigrationRule } from '../../../src/domain/migrationRules';
import type { ServiceSnapshot } from '../../../src/domain/service';
import { stv1Snapshot } from '../../support/stv1Snapshot';

const now = new Date('2026-05-10T12:00:00Z');

/** An idle single-region stv1 instance migrated with PreserveIp, with `over` changed. */
function input(over: Partial<MigrationCheckInput> = {}, service: Partial<ServiceSnapshot> = {}): MigrationCheckInput {
  return { service: stv1Snapshot(service), mode: 'PreserveIp', workspaceGateways: 0, backupProblems: [], subnetNeighbours: [], now, ...over };
}

const codes = (rule: MigrationRule, i: MigrationCheckInput) => rule(i).map((f) => f.code);
const vnet = { virtualNetworkType: 'External' } as const;

describe('the migration rule table', () => {
  it('lists every rule the module exports, once', () => {
    const exported = Object.values(rules).filter((v) => typeof v === 'function' && v !== rules.wayBackUntil);
    expect(new Set(rules.MIGRATION_RULES).size).toBe(rules.MIGRATION_RULES.length);
    expect([...rules.MIGRATION_RULES].sort()).toEqual([...exported].sort());
  });

  it('notOnStv1: refuses a tier that never ran on stv1, an instance already on stv2, and one whose platform is unknown', () => {
    expect(codes(rules.notOnStv1, input({}, { sku: { name: 'Consumption', capacity: 0 } }))).toEqual(['TierHasNoStv1']);
    expect(codes(rules.notOnStv1, input({}, { platformVersion: 'stv2.1' }))).toEqual(['AlreadyOnStv2']);
    expect(codes(rules.notOnStv1, input({}, { platformVersion: 'undetermined' }))).toEqual(['PlatformUndetermined']);
    expect(rules.notOnStv1(input())).toEqual([]);
  });

  it('instanceBusy: refuses an instance another operation is updating', () => {
    expect(codes(rules.instanceBusy, input({}, { provisioningState: 'Updating' }))).toEqual(['InstanceBusy']);
    expect(rules.instanceBusy(input())).toEqual([]);
  });

  it('operationRunning: refuses while an apim-dr restore or migration runs on the instance', () => {
    expect(rules.operationRunning(input({ runningOperation: 'a restore' }))[0]?.message).toBe("a restore on 'apim-old'");
    expect(rules.operationRunning(input())).toEqual([]);
  });

  it('noPreMigrationBackup: refuses once per reason the way back cannot be taken', () => {
    const backupProblems = [
      { code: 'NotProtected', message: 'not in the config', fix: 'add it' },
      { code: 'WorkspaceGateways', message: 'has workspace gateways', fix: 'remove them' },
    ];
    expect(codes(rules.noPreMigrationBackup, input({ backupProblems }))).toEqual(['NoPreMigrationBackup', 'WorkspaceGateways']);
    expect(rules.noPreMigrationBackup(input())).toEqual([]);
  });

  it("modeCost: warns of PreserveIp's downtime, or of NewIP's new addresses naming today's", () => {
    expect(codes(rules.modeCost, input())).toEqual(['PreserveIpDowntime']);
    expect(rules.modeCost(input({ mode: 'NewIP' }))[0]?.message).toContain('today West Europe: 20.0.0.1');
  });

  it('workspaceGateways: warns of gateways a backup cannot carry, unless they already block the backup', () => {
    expect(codes(rules.workspaceGateways, input({ workspaceGateways: 1 }))).toEqual(['WorkspaceGateways']);
    const blocked = { workspaceGateways: 1, backupProblems: [{ code: 'WorkspaceGateways', message: 'm', fix: 'f' }] };
    expect(rules.workspaceGateways(input(blocked))).toEqual([]);
  });

  it('vnetPrerequisites: warns a VNet-injected instance of what ARM cannot show', () => {
    expect(codes(rules.vnetPrerequisites, input({}, vnet))).toEqual(['VnetPrerequisites']);
    expect(rules.vnetPrerequisites(input())).toEqual([]);
  });

  it('networkJoinPermission: warns a VNet-injected instance of the join permissions it needs', () => {
    expect(codes(rules.networkJoinPermission, input({}, vnet))).toEqual(['NetworkJoinPermission']);
    expect(rules.networkJoinPermission(input())).toEqual([]);
  });

  it('oldComputeKept: notes that with NewIP in a VNet the old compute serves a while longer', () => {
    expect(codes(rules.oldComputeKept, input({ mode: 'NewIP' }, vnet))).toEqual(['OldComputeKept']);
    expect(rules.oldComputeKept(input({}, vnet))).toEqual([]);
    expect(rules.oldComputeKept(input({ mode: 'NewIP' }))).toEqual([]);
  });

  it('subnetShared: warns to migrate instances sharing a subnet one at a time', () => {
    expect(rules.subnetShared(input({ subnetNeighbours: ['apim-b'] }))[0]?.message).toBe("'apim-old' shares a subnet with 'apim-b'");
    expect(rules.subnetShared(input())).toEqual([]);
  });

  it('allRegions: notes that one migration moves every region', () => {
    expect(codes(rules.allRegions, input({ service: stv1Snapshot({}, [{}, {}]) }))).toEqual(['AllRegions']);
    expect(rules.allRegions(input())).toEqual([]);
  });

  it('irreversible: always says until when the way back stays open', () => {
    expect(rules.irreversible(input())[0]?.message).toContain('possible until 2026-06-09T12:00:00.000Z');
  });
});
