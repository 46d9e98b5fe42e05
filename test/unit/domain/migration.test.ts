import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/compatibility';
import { checkMigration, checkSideBySide, isMigrated, type MigrationCheckInput, type SideBySideInput } from '../../../src/domain/migration';
import { stv1Snapshot as snapshot } from '../../support/stv1Snapshot';

const now = new Date('2026-05-10T12:00:00Z');
const DAY = 86_400_000;

function check(over: Partial<MigrationCheckInput> = {}) {
  return checkMigration({ service: snapshot(), mode: 'PreserveIp', workspaceGateways: 0, backupProblems: [], subnetNeighbours: [], now, ...over });
}

const codes = (findings: Finding[], severity: Finding['severity']) => findings.filter((f) => f.severity === severity).map((f) => f.code);
const finding = (findings: Finding[], code: string) => findings.find((f) => f.code === code)!;

describe('in-place migration dry run', () => {
  it('an idle stv1 instance with PreserveIp is fully migratable: the downtime is the mode’s price, not work left over', () => {
    const report = check();
    expect(report.verdict).toBe('FullyMigratable');
    expect(codes(report.findings, 'warning')).toEqual(['PreserveIpDowntime']);
    expect(finding(report.findings, 'PreserveIpDowntime').message).toMatch(/fail for about 15 minutes .* locked for about 45/);
    expect(report.wayBackUntil).toBe(new Date(now.getTime() + 30 * DAY).toISOString());
    expect(finding(report.findings, 'Irreversible').message).toContain(report.wayBackUntil);
  });

  it('NewIP is partially migratable and lists every region’s public IPs of today', () => {
    const report = check({
      service: snapshot({ additionalLocations: ['North Europe'] }, [{}, { location: 'North Europe', publicIPAddresses: ['20.9.9.9'] }]),
      mode: 'NewIP',
    });
    expect(report.verdict).toBe('PartiallyMigratable');
    expect(finding(report.findings, 'NewIpChangesAddresses').message).toContain('West Europe: 20.0.0.1; North Europe: 20.9.9.9');
    expect(report.publicIPs).toEqual({ 'West Europe': ['20.0.0.1'], 'North Europe': ['20.9.9.9'] });
    expect(codes(report.findings, 'warning')).not.toContain('PreserveIpDowntime');
  });

  it.each([
    ['stv2', 'AlreadyOnStv2'],
    ['stv2.1', 'AlreadyOnStv2'],
    ['undetermined', 'PlatformUndetermined'],
  ])('an instance on %s is not migratable (%s)', (platformVersion, code) => {
    const report = check({ service: snapshot({ platformVersion }) });
    expect(report.verdict).toBe('NotMigratable');
    expect(codes(report.findings, 'blocking')).toEqual([code]);
    expect(report.wayBackUntil).toBeUndefined();
  });

  it('a multi-region instance with one region still on stv1 is migratable; every region is listed', () => {
    const report = check({
      service: snapshot({ additionalLocations: ['North Europe'] }, [{ platformVersion: 'stv2' }, { location: 'North Europe', platformVersion: 'stv1' }]),
    });
    expect(report.verdict).not.toBe('NotMigratable');
    expect(finding(report.findings, 'AllRegions').message).toContain('stv2 in West Europe, stv1 in North Europe');
  });

  it.each(['Consumption', 'StandardV2', 'BasicV2', 'PremiumV2'])('the %s tier has no stv1', (tier) => {
    const report = check({ service: snapshot({ sku: { name: tier, capacity: 1 }, platformVersion: tier === 'Consumption' ? 'mtv1' : 'stv2' }) });
    expect(codes(report.findings, 'blocking')).toEqual(['TierHasNoStv1']);
  });

  it('a busy instance, or one apim-dr is already changing, is not migratable', () => {
    expect(codes(check({ service: snapshot({ provisioningState: 'Updating' }) }).findings, 'blocking')).toEqual(['InstanceBusy']);
    const running = check({ runningOperation: 'a restore (operation restore-apim-old-1, since 2026-05-10T11:00:00Z) is running' });
    expect(codes(running.findings, 'blocking')).toEqual(['OperationRunning']);
  });

  it('no possible pre-migration backup blocks: it is the only way back', () => {
    const report = check({ backupProblems: [{ code: 'IdentityMissing', message: 'no system-assigned identity', fix: 'enable it' }] });
    expect(report.verdict).toBe('NotMigratable');
    expect(finding(report.findings, 'NoPreMigrationBackup')).toMatchObject({
      severity: 'blocking',
      message: expect.stringContaining('only way back'),
      fix: 'enable it',
    });
  });

  it('workspace gateways block as backup readiness says; counted but backup-able, they warn', () => {
    const blocked = check({ workspaceGateways: 2, backupProblems: [{ code: 'WorkspaceGateways', message: '2 workspace gateway(s)', fix: 'remove them' }] });
    expect(codes(blocked.findings, 'blocking')).toEqual(['WorkspaceGateways']);
    expect(codes(blocked.findings, 'warning')).not.toContain('WorkspaceGateways');
  });

  it('a VNet-injected instance: each prerequisite named with how to check it, the network permissions, and with NewIP the old compute window', () => {
    const subnet = '/subscriptions/s/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/apim';
    const report = check({ service: snapshot({ virtualNetworkType: 'Internal' }, [{ subnetId: subnet }]), mode: 'NewIP', subnetNeighbours: ['apim-other'] });
    expect(report.verdict).toBe('PartiallyMigratable');
    expect(codes(report.findings, 'warning')).toEqual(['NewIpChangesAddresses', 'VnetPrerequisites', 'NetworkJoinPermission', 'SubnetShared']);
    const prerequisites = finding(report.findings, 'VnetPrerequisites');
    expect(prerequisites.message).toMatch(/NSG.*free addresses.*autoscale/);
    expect(prerequisites.fix).toContain(subnet);
    expect(finding(report.findings, 'NetworkJoinPermission').message).toContain('Microsoft.Network/virtualNetworks/subnets/join/action');
    expect(finding(report.findings, 'SubnetShared')).toMatchObject({
      message: expect.stringContaining("'apim-other'"),
      fix: expect.stringContaining('one at a time'),
    });
    expect(codes(report.findings, 'info')).toContain('OldComputeKept');
  });

  it('counts stv2.1 as migrated', () => {
    expect(['stv2', 'stv2.1'].map(isMigrated)).toEqual([true, true]);
    expect(['stv1', 'mtv1', 'undetermined'].map(isMigrated)).toEqual([false, false, false]);
  });
});

describe('side-by-side migration dry run', () => {
  const target = () =>
    snapshot({ id: '/subscriptions/s/resourceGroups/rg2/providers/Microsoft.ApiManagement/service/apim-new', name: 'apim-new', platformVersion: 'stv2' });
  function side(over: Partial<SideBySideInput> = {}) {
    return checkSideBySide({
      source: snapshot(),
      target: target(),
      targetWorkspaceGateways: 0,
      access: { type: 'SystemAssignedManagedIdentity' },
      backupProblems: [],
      now,
      ...over,
    });
  }

  it('an stv1 source into an stv2 standby is fully migratable, with the cut-over checklist', () => {
    const report = side();
    expect(report.verdict).toBe('FullyMigratable');
    expect(codes(report.findings, 'blocking')).toEqual([]);
    expect(codes(report.findings, 'info')).toContain('SourceUntouched');
    expect(report.checklist.join('\n')).toMatch(
      /apim-new\.azure-api\.net[\s\S]*custom-domain TLS certificates[\s\S]*20\.0\.0\.1[\s\S]*decommission 'apim-old'/,
    );
  });

  it('blocks a target on stv1, a target that is not a standby, a tier mismatch and an impossible backup', () => {
    const report = side({
      target: snapshot({ ...target(), sku: { name: 'Developer', capacity: 1 }, platformVersion: 'stv1' }),
      consent: { code: 'NotAStandby', message: "'apim-new' is not a configured standby of 'apim-old'", fix: 'add it' },
      backupProblems: [{ code: 'NotProtected', message: 'not protected', fix: 'protect it' }],
    });
    expect(report.verdict).toBe('NotMigratable');
    expect(codes(report.findings, 'blocking')).toEqual(['NotAStandby', 'NoPreMigrationBackup', 'TargetNotOnStv2', 'TierMismatch']);
    expect(codes(report.findings, 'warning')).not.toContain('TargetOnRetiredPlatform');
  });

  it('says when the source is not on stv1 (a move, not a migration)', () => {
    expect(codes(side({ source: snapshot({ platformVersion: 'stv2' }) }).findings, 'warning')).toEqual(['SourceNotOnStv1']);
  });

  it('names custom domains and their DNS in the checklist when the source has them', () => {
    const report = side({ source: snapshot({ hostnames: ['apim-old.azure-api.net', 'api.contoso.example'] }) });
    expect(report.checklist[0]).toContain('api.contoso.example');
    expect(report.checklist[1]).toMatch(/DNS records of api\.contoso\.example/);
    expect(codes(report.findings, 'warning')).toContain('HostnamesDiffer');
  });
});
