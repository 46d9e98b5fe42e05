import { describe, expect, it } from 'vitest';
import { checkRestoreCompatibility, type CompatibilityInput, type Finding } from '../../../src/domain/compatibility';
import { expiresAt } from '../../../src/domain/expiry';
import { armService, snapshotOf, type ArmServiceOptions } from '../../support/armShaped';
import { restoreCheckInput } from '../../support/restoreCheckInput';

const created = new Date('2026-05-10T02:00:00Z');
const HOUR = 3_600_000;
const SOURCE: ArmServiceOptions = { name: 'apim-weu', location: 'West Europe', capacity: 2, hostnames: ['api.contoso.example'] };
const STANDBY: ArmServiceOptions = { name: 'apim-neu', location: 'North Europe', capacity: 2, hostnames: ['api.contoso.example'] };

async function check(target: Partial<ArmServiceOptions> = {}, over: Partial<CompatibilityInput> = {}, source: Partial<ArmServiceOptions> = {}) {
  const sourceSnapshot = await snapshotOf(armService({ ...SOURCE, ...source }));
  const targetSnapshot = await snapshotOf(armService({ ...STANDBY, ...target }));
  return checkRestoreCompatibility(restoreCheckInput(sourceSnapshot, targetSnapshot, over));
}

const codes = (findings: Finding[], severity: Finding['severity']) => findings.filter((f) => f.severity === severity).map((f) => f.code);
const finding = (findings: Finding[], code: string) => findings.find((f) => f.code === code);

describe('restore compatibility', () => {
  it('finds a matching standby fully restorable, with only information', async () => {
    const report = await check();
    expect(report.verdict).toBe('FullyRestorable');
    expect(codes(report.findings, 'info')).toEqual(['DifferentRegion', 'BackupAge', 'NotInBackup', 'StandbyOverwritten']);
    expect(finding(report.findings, 'BackupAge')?.message).toBe(
      "backup 'apim-weu.20260510T020000Z.scheduled.apimbackup' is 10h old and can be restored for 29d 14h more",
    );
    expect(finding(report.findings, 'NotInBackup')?.message).toContain('custom CA certificates');
  });

  describe('blocking findings', () => {
    it('refuses a different tier, in the words APIM would use', async () => {
      const report = await check({ sku: 'Standard' });
      expect(report.verdict).toBe('NotRestorable');
      expect(finding(report.findings, 'TierMismatch')).toMatchObject({
        severity: 'blocking',
        message: expect.stringContaining("Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'"),
      });
    });

    it.each(['Consumption', 'PremiumV2'])('refuses a %s target', async (sku) => {
      const report = await check({ sku }, {}, { sku });
      expect(codes(report.findings, 'blocking')).toEqual(['TargetTierNotSupported']);
    });

    it('refuses a target with workspace gateways', async () => {
      expect(codes((await check({}, { targetWorkspaceGateways: 1 })).findings, 'blocking')).toEqual(['TargetHasWorkspaceGateways']);
    });

    it('refuses a target that is busy with another operation', async () => {
      const report = await check({ provisioningState: 'Updating' });
      expect(finding(report.findings, 'TargetBusy')?.message).toContain("'apim-neu' is 'Updating'");
    });

    it('refuses an expired backup and one inside the safety margin', async () => {
      const expired = await check({}, { now: new Date(expiresAt(created).getTime() + HOUR) });
      expect(codes(expired.findings, 'blocking')).toEqual(['BackupExpired']);
      const closing = await check({}, { now: new Date(expiresAt(created).getTime() - HOUR) });
      expect(codes(closing.findings, 'blocking')).toEqual(['BackupExpiringSoon']);
    });

    it('refuses a backup that did not succeed, and one whose blob is missing', async () => {
      const sourceSnapshot = await snapshotOf(armService(SOURCE));
      const failed = await check(
        {},
        { backup: { backupName: 'b', state: 'failed', createdAt: created.toISOString(), expiresAt: expiresAt(created).toISOString(), source: sourceSnapshot } },
      );
      expect(codes(failed.findings, 'blocking')).toEqual(['BackupNotSucceeded']);
      const missing = await check(
        {},
        {
          backup: {
            backupName: 'b',
            state: 'succeeded',
            createdAt: created.toISOString(),
            expiresAt: expiresAt(created).toISOString(),
            source: sourceSnapshot,
          },
        },
      );
      expect(codes(missing.findings, 'blocking')).toEqual(['BackupBlobMissing']);
    });

    it('refuses to restore an instance into itself without consent, and allows it with consent', async () => {
      const inPlace = await check({ ...SOURCE }, { targetIsStandby: false });
      expect(codes(inPlace.findings, 'blocking')).toEqual(['InPlaceWithoutConsent']);
      const consented = await check({ ...SOURCE }, { targetIsStandby: false, allowInPlace: true });
      expect(codes(consented.findings, 'blocking')).toEqual([]);
    });

    it("refuses when the target's identity cannot read the backup", async () => {
      const none = await check({ identity: { type: 'None' } });
      expect(finding(none.findings, 'TargetIdentityCannotReadBackup')?.message).toContain("identity.type is 'None'");
      const user = await check(
        { identity: { type: 'UserAssigned', userAssignedClientIds: ['11111111-0000-0000-0000-000000000000'] } },
        { access: { type: 'UserAssignedManagedIdentity', clientId: '22222222-0000-0000-0000-000000000000' } },
      );
      expect(codes(user.findings, 'blocking')).toEqual(['TargetIdentityCannotReadBackup']);
    });
  });

  describe('warnings', () => {
    it('warns about a target on the retired stv1 platform, pointing to migration', async () => {
      const report = await check({ platformVersion: 'stv1' });
      expect(report.verdict).toBe('PartiallyRestorable');
      expect(finding(report.findings, 'TargetOnRetiredPlatform')?.fix).toContain('migrateToStv2');
    });

    it('warns when the platforms differ', async () => {
      expect(codes((await check({ platformVersion: 'stv2.1' })).findings, 'warning')).toEqual(['PlatformDiffers']);
    });

    it('warns about fewer units and fewer regions than the source', async () => {
      const report = await check({ capacity: 1 }, {}, { additionalLocations: ['East US'] });
      expect(codes(report.findings, 'warning')).toEqual(['FewerUnits', 'FewerRegions']);
      expect(finding(report.findings, 'FewerUnits')?.message).toBe("'apim-neu' has 1 unit(s), 'apim-weu' had 2");
      expect(finding(report.findings, 'FewerRegions')?.message).toContain('also ran in East US');
    });

    it('warns when custom hostnames differ, since DR fails over by DNS', async () => {
      const report = await check({ hostnames: ['api-dr.contoso.example'] });
      expect(finding(report.findings, 'HostnamesDiffer')?.message).toContain("'apim-weu' has api.contoso.example, 'apim-neu' has api-dr.contoso.example");
    });

    it('warns when protocol and cipher settings differ, naming each', async () => {
      const report = await check({ customProperties: { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'True' } });
      expect(finding(report.findings, 'ProtocolSettingsDiffer')?.message).toContain("Security.Protocols.Tls10: 'False' → 'True'");
    });

    it('warns when the virtual network type differs', async () => {
      expect(finding((await check({ virtualNetworkType: 'Internal' })).findings, 'VnetTypeDiffers')?.message).toContain(
        "'apim-weu' is 'None', 'apim-neu' is 'Internal'",
      );
    });

    it('warns when managed identities differ, since a restore does not bring them', async () => {
      const report = await check({ identity: { type: 'SystemAssigned, UserAssigned', userAssignedClientIds: ['11111111-0000-0000-0000-000000000000'] } });
      expect(codes(report.findings, 'warning')).toEqual(['IdentityDiffers']);
    });

    it('warns that a target which is not a standby will have its configuration overwritten', async () => {
      const report = await check({}, { targetIsStandby: false });
      expect(codes(report.findings, 'warning')).toEqual(['OverwritesTarget']);
      expect(codes(report.findings, 'info')).not.toContain('StandbyOverwritten');
    });
  });

  it('says nothing about the region when source and target share it', async () => {
    expect(codes((await check({ location: 'westeurope' })).findings, 'info')).not.toContain('DifferentRegion');
  });
});
