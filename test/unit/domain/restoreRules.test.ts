import { beforeAll, describe, expect, it } from 'vitest';
import { expiresAt } from '../../../src/domain/expiry';
import * as rules from '../../../src/domain/restoreRules';
import type { CompatibilityInput, RestoreRule } from '../../../src/domain/restoreRules';
import type { ServiceSnapshot } from '../../../src/domain/service';
import { armService, snapshotOf, type ArmServiceOptions } from '../../support/armShaped';
import { CHECK_NOW as now, restoreCheckInput } from '../../support/restoreCheckInput';

const HOUR = 3_600_000;
const SOURCE: ArmServiceOptions = { name: 'apim-weu', location: 'West Europe', capacity: 2, hostnames: ['api.contoso.example'] };
const STANDBY: ArmServiceOptions = { name: 'apim-neu', location: 'North Europe', capacity: 2, hostnames: ['api.contoso.example'] };

let source: ServiceSnapshot;
let standby: ServiceSnapshot;
beforeAll(async () => {
  source = await snapshotOf(armService(SOURCE));
  standby = await snapshotOf(armService(STANDBY));
});

/** A restore of a fresh backup of the source into its standby, with `over` changed. */
function input(over: Partial<CompatibilityInput> = {}, target: Partial<ServiceSnapshot> = {}, from: Partial<ServiceSnapshot> = {}): CompatibilityInput {
  return restoreCheckInput({ ...source, ...from }, { ...standby, ...target }, over);
}

const code = (rule: RestoreRule, i: CompatibilityInput) => rule(i)?.code;

describe('the restore rule table', () => {
  it('lists every rule the module exports, once', () => {
    const exported = Object.values(rules).filter((v) => typeof v === 'function');
    expect(new Set(rules.RESTORE_RULES).size).toBe(rules.RESTORE_RULES.length);
    expect([...rules.RESTORE_RULES].sort()).toEqual([...exported].sort());
  });

  it('tierMismatch: refuses another tier in the words APIM uses', () => {
    expect(rules.tierMismatch(input({}, { sku: { name: 'Standard', capacity: 2 } }))?.message).toContain(
      "Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'",
    );
    expect(rules.tierMismatch(input())).toBeUndefined();
  });

  it('targetTierNotSupported: refuses a v2 or Consumption target', () => {
    expect(code(rules.targetTierNotSupported, input({}, { sku: { name: 'StandardV2', capacity: 1 } }))).toBe('TargetTierNotSupported');
    expect(rules.targetTierNotSupported(input())).toBeUndefined();
  });

  it('targetHasWorkspaceGateways: refuses a target with workspace gateways', () => {
    expect(code(rules.targetHasWorkspaceGateways, input({ targetWorkspaceGateways: 2 }))).toBe('TargetHasWorkspaceGateways');
    expect(rules.targetHasWorkspaceGateways(input())).toBeUndefined();
  });

  it('targetBusy: refuses a target another operation is updating', () => {
    expect(rules.targetBusy(input({}, { provisioningState: 'Updating' }))?.message).toContain("'apim-neu' is 'Updating'");
    expect(rules.targetBusy(input())).toBeUndefined();
  });

  it('backupNotRestorable: refuses an expired backup and names a newer one', () => {
    const old = new Date(now.getTime() - 31 * 24 * HOUR);
    const expired = input();
    expired.backup = { ...expired.backup, createdAt: old.toISOString(), expiresAt: expiresAt(old).toISOString() };
    const newest = { ...input().backup, backupName: 'apim-weu.20260510T020000Z.event.apimbackup' };
    expect(rules.backupNotRestorable({ ...expired, newestRestorable: newest })?.fix).toBe(`use --backup ${newest.backupName}`);
    expect(rules.backupNotRestorable(input())).toBeUndefined();
  });

  it('backupBlobMissing: refuses a restorable backup whose blob is gone, but not one refused already', () => {
    const missing = input();
    missing.backup = { ...missing.backup, blobSize: 0 };
    expect(rules.backupBlobMissing(missing)?.message).toContain('is empty in the backup container');
    const failed = input();
    failed.backup = { ...failed.backup, state: 'failed', blobSize: 0 };
    expect(rules.backupBlobMissing(failed)).toBeUndefined();
    expect(rules.backupBlobMissing(input())).toBeUndefined();
  });

  it('inPlaceWithoutConsent: refuses a restore into the source unless allowed', () => {
    const inPlace = input({}, { id: source.id, name: source.name });
    expect(code(rules.inPlaceWithoutConsent, inPlace)).toBe('InPlaceWithoutConsent');
    expect(rules.inPlaceWithoutConsent({ ...inPlace, allowInPlace: true })).toBeUndefined();
  });

  it("targetIdentityCannotReadBackup: refuses when the target's identity is not the one that reads the backup", () => {
    const clientId = '11111111-1111-1111-1111-111111111111';
    expect(rules.targetIdentityCannotReadBackup(input({ access: { type: 'UserAssignedManagedIdentity', clientId } }))?.message).toContain(clientId);
    expect(rules.targetIdentityCannotReadBackup(input())).toBeUndefined();
  });

  it('targetPlatform: warns of a stv1 target first, else of a platform that differs', () => {
    expect(code(rules.targetPlatform, input({}, { platformVersion: 'stv1' }, { platformVersion: 'stv1' }))).toBe('TargetOnRetiredPlatform');
    expect(code(rules.targetPlatform, input({}, { platformVersion: 'stv2.1' }))).toBe('PlatformDiffers');
    expect(rules.targetPlatform(input())).toBeUndefined();
  });

  it('fewerUnits: warns when the target has fewer units than the source had', () => {
    expect(rules.fewerUnits(input({}, { sku: { name: 'Premium', capacity: 1 } }))?.fix).toBe(
      "scale 'apim-neu' to 2 unit(s) before it takes production traffic",
    );
    expect(rules.fewerUnits(input())).toBeUndefined();
  });

  it('fewerRegions: warns when the target runs in fewer regions', () => {
    expect(code(rules.fewerRegions, input({}, {}, { additionalLocations: ['North Europe'] }))).toBe('FewerRegions');
    expect(rules.fewerRegions(input())).toBeUndefined();
  });

  it('hostnamesDiffer: warns when the custom hostnames differ (the azure-api.net one aside)', () => {
    expect(code(rules.hostnamesDiffer, input({}, { hostnames: ['apim-neu.azure-api.net'] }))).toBe('HostnamesDiffer');
    expect(rules.hostnamesDiffer(input())).toBeUndefined();
  });

  it('protocolSettingsDiffer: warns of protocol and cipher settings that differ, naming each', () => {
    const key = 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10';
    expect(rules.protocolSettingsDiffer(input({}, { customProperties: { [key]: 'true' } }))?.message).toMatch(/Security\.Protocols\.Tls10: '.*' → 'true'/);
    expect(rules.protocolSettingsDiffer(input())).toBeUndefined();
  });

  it('vnetTypeDiffers: warns when the network integration differs', () => {
    expect(code(rules.vnetTypeDiffers, input({}, { virtualNetworkType: 'External' }))).toBe('VnetTypeDiffers');
    expect(rules.vnetTypeDiffers(input())).toBeUndefined();
  });

  it('identityDiffers: warns when the managed identity types differ', () => {
    expect(code(rules.identityDiffers, input({}, { identity: { ...standby.identity, type: 'None' } }))).toBe('IdentityDiffers');
    expect(rules.identityDiffers(input())).toBeUndefined();
  });

  it('overwritesTarget: warns when the target is not a configured standby', () => {
    expect(code(rules.overwritesTarget, input({ targetIsStandby: false }))).toBe('OverwritesTarget');
    expect(rules.overwritesTarget(input())).toBeUndefined();
  });

  it('differentRegion: notes a target in another region, whatever the spelling of the location', () => {
    expect(code(rules.differentRegion, input())).toBe('DifferentRegion');
    expect(rules.differentRegion(input({}, { location: 'westeurope' }))).toBeUndefined();
  });

  it('backupAge: always says how old the backup is and how long it stays restorable', () => {
    expect(rules.backupAge(input())?.message).toBe("backup 'apim-weu.20260510T020000Z.scheduled.apimbackup' is 10h old and can be restored for 29d 14h more");
  });

  it('notInBackup: always lists what no backup carries', () => {
    expect(rules.notInBackup(input())?.message).toContain('custom CA certificates');
  });

  it('standbyOverwritten: notes that a standby is replaced on purpose', () => {
    expect(code(rules.standbyOverwritten, input())).toBe('StandbyOverwritten');
    expect(rules.standbyOverwritten(input({ targetIsStandby: false }))).toBeUndefined();
  });
});
