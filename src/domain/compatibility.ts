/**
 * "If I restore this backup into that instance now, what happens?" Pure rules over the backup's manifest
 * (the source as it was) and the target as ARM returns it now. Every finding names both sides and the fix.
 */
import type { StorageAccess } from './storageAccess';
import { formatDuration } from './duration';
import { restoreRefusal, type ExpiringBackup } from './expiry';
import { isTierSupported, type ServiceSnapshot } from './service';

export type Severity = 'blocking' | 'warning' | 'info';
export type Verdict = 'FullyRestorable' | 'PartiallyRestorable' | 'NotRestorable';

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  fix: string;
}

export interface CompatibilityInput {
  backup: ExpiringBackup & { source: ServiceSnapshot; blobSize?: number };
  target: ServiceSnapshot;
  targetWorkspaceGateways: number;
  /** How the target's APIM identity will read the backup from storage. */
  access: StorageAccess;
  /** The target is a configured standby of the source: replacing its configuration is its purpose. */
  targetIsStandby: boolean;
  /** Explicit consent to restore an instance's backup into itself. */
  allowInPlace: boolean;
  newestRestorable?: ExpiringBackup;
  now: Date;
  restoreMarginMs: number;
}

export interface CompatibilityReport {
  verdict: Verdict;
  backupName: string;
  source: string;
  target: string;
  findings: Finding[];
}

/** What no APIM backup carries, whatever the tiers (see the APIM backup documentation). */
export const NOT_IN_BACKUP = [
  'usage and analytics data',
  'custom-domain TLS certificates',
  'custom CA certificates',
  'virtual network settings',
  'managed identity configuration',
  'Azure Monitor diagnostics',
  'protocol and cipher settings',
  'developer portal content',
];

const PROTOCOL_SETTING = /^Microsoft\.WindowsAzure\.ApiManagement\.Gateway\.(Security|Protocols)\./i;

export function checkRestoreCompatibility(input: CompatibilityInput): CompatibilityReport {
  const { backup, target } = input;
  const source = backup.source;
  const findings: Finding[] = [];
  const add = (severity: Severity, code: string, message: string, fix: string) => findings.push({ code, severity, message, fix });

  // Blocking: APIM would refuse, or the restore would hit the wrong instance.
  if (target.sku.name !== source.sku.name) {
    add(
      'blocking',
      'TierMismatch',
      `Cannot restore: current SKU is '${target.sku.name}', backup SKU is '${source.sku.name}' (target '${target.name}', backup of '${source.name}')`,
      `restore into a ${source.sku.name} instance, or change '${target.name}' to the ${source.sku.name} tier first`,
    );
  }
  if (!isTierSupported(target.sku.name)) {
    add(
      'blocking',
      'TargetTierNotSupported',
      `'${target.name}' is on the ${target.sku.name} tier, which cannot restore a backup`,
      'restore into a Developer, Basic, Standard or Premium instance',
    );
  }
  if (input.targetWorkspaceGateways > 0) {
    add(
      'blocking',
      'TargetHasWorkspaceGateways',
      `'${target.name}' has ${input.targetWorkspaceGateways} workspace gateway(s); APIM cannot restore into an instance with workspace gateways`,
      'remove the workspace gateways from the target, or restore into another instance',
    );
  }
  if (target.provisioningState !== 'Succeeded') {
    add(
      'blocking',
      'TargetBusy',
      `'${target.name}' is '${target.provisioningState}': another operation is running on it`,
      'wait for that operation to finish, then check again',
    );
  }
  const refusal = restoreRefusal(backup, input.now, input.restoreMarginMs, input.newestRestorable);
  if (refusal)
    add(
      'blocking',
      refusal.code,
      refusal.message,
      input.newestRestorable ? `use --backup ${input.newestRestorable.backupName}` : `take a new backup of '${source.name}'`,
    );
  if (!refusal && !backup.blobSize) {
    add(
      'blocking',
      'BackupBlobMissing',
      `the blob of backup '${backup.backupName}' is ${backup.blobSize === 0 ? 'empty' : 'missing'} in the backup container`,
      'choose another backup; check the container for deletions or a lifecycle rule',
    );
  }
  if (sameId(source.id, target.id) && !input.allowInPlace) {
    add(
      'blocking',
      'InPlaceWithoutConsent',
      `the target '${target.name}' is the instance the backup was taken from: restoring would overwrite it in place`,
      "to roll an instance back on purpose, set allowInPlace and confirm with the instance's name",
    );
  }
  const identityProblem = identityCannotRead(target, input.access);
  if (identityProblem)
    add(
      'blocking',
      'TargetIdentityCannotReadBackup',
      identityProblem,
      "enable the identity on the target and grant it 'Storage Blob Data Contributor' on the backup container, or configure another access type for it",
    );

  // Warnings: the restore works, but something will not match or is not recommended.
  if (target.platformVersion === 'stv1') {
    add(
      'warning',
      'TargetOnRetiredPlatform',
      `'${target.name}' runs on the retired stv1 platform`,
      "migrate it in place with 'migrateToStv2', or restore into a new stv2 instance (side-by-side migration)",
    );
  } else if (target.platformVersion !== source.platformVersion) {
    add(
      'warning',
      'PlatformDiffers',
      `the backup comes from platform '${source.platformVersion}' and '${target.name}' runs '${target.platformVersion}'`,
      'expected when migrating; otherwise align the platforms',
    );
  }
  if (target.sku.capacity < source.sku.capacity) {
    add(
      'warning',
      'FewerUnits',
      `'${target.name}' has ${target.sku.capacity} unit(s), '${source.name}' had ${source.sku.capacity}`,
      `scale '${target.name}' to ${source.sku.capacity} unit(s) before it takes production traffic`,
    );
  }
  if (target.additionalLocations.length < source.additionalLocations.length) {
    add(
      'warning',
      'FewerRegions',
      `'${source.name}' also ran in ${list(source.additionalLocations)}, '${target.name}' only in ${list([target.location, ...target.additionalLocations])}`,
      'add the missing regions to the target if its traffic needs them',
    );
  }
  const sourceHosts = customHostnames(source);
  const targetHosts = customHostnames(target);
  if (!sameSet(sourceHosts, targetHosts)) {
    add(
      'warning',
      'HostnamesDiffer',
      `custom hostnames differ: '${source.name}' has ${list(sourceHosts)}, '${target.name}' has ${list(targetHosts)}; a restore leaves the target's hostnames as they are`,
      'give the standby the same custom hostnames and certificates, so that DR is a DNS change',
    );
  }
  const protocolDiff = differingProtocolSettings(source, target);
  if (protocolDiff.length) {
    add(
      'warning',
      'ProtocolSettingsDiffer',
      `protocol and cipher settings differ and are not in a backup: ${protocolDiff.join('; ')}`,
      `set the same customProperties on '${target.name}'`,
    );
  }
  if (source.virtualNetworkType !== target.virtualNetworkType) {
    add(
      'warning',
      'VnetTypeDiffers',
      `virtual network type: '${source.name}' is '${source.virtualNetworkType}', '${target.name}' is '${target.virtualNetworkType}'`,
      'align the network integration; a backup does not carry it',
    );
  }
  if (identityType(source) !== identityType(target)) {
    add(
      'warning',
      'IdentityDiffers',
      `managed identity: '${source.name}' has '${source.identity.type}', '${target.name}' has '${target.identity.type}'; a restore does not bring identities, so Key Vault named values and certificates may not resolve`,
      'give the target the identities (and Key Vault access) the source had',
    );
  }
  if (!input.targetIsStandby) {
    add(
      'warning',
      'OverwritesTarget',
      `the restore replaces the whole configuration of '${target.name}', which is not a configured standby of '${source.name}'; changes made there are lost`,
      'take a pre-restore backup of the target (the default for restores into instances that are not pure standbys)',
    );
  }

  // Information.
  if (normalizeLocation(source.location) !== normalizeLocation(target.location)) {
    add(
      'info',
      'DifferentRegion',
      `the backup comes from ${source.location}; '${target.name}' is in ${target.location}`,
      'none: expected for a standby in another region',
    );
  }
  const age = input.now.getTime() - Date.parse(backup.createdAt);
  const left = Date.parse(backup.expiresAt) - input.now.getTime();
  add(
    'info',
    'BackupAge',
    `backup '${backup.backupName}' is ${formatDuration(age)} old and ${left > 0 ? `can be restored for ${formatDuration(left)} more` : 'has expired'}`,
    'none',
  );
  add(
    'info',
    'NotInBackup',
    `not in any backup, so not restored: ${NOT_IN_BACKUP.join(', ')}`,
    'set these up on the target separately (infrastructure as code)',
  );
  if (input.targetIsStandby) {
    add('info', 'StandbyOverwritten', `'${target.name}' is a configured standby of '${source.name}': its configuration will be replaced, as intended`, 'none');
  }

  const verdict: Verdict = findings.some((f) => f.severity === 'blocking')
    ? 'NotRestorable'
    : findings.some((f) => f.severity === 'warning')
      ? 'PartiallyRestorable'
      : 'FullyRestorable';
  return { verdict, backupName: backup.backupName, source: source.name, target: target.name, findings };
}

function identityCannotRead(target: ServiceSnapshot, access: StorageAccess): string | undefined {
  if (access.type === 'SystemAssignedManagedIdentity' && !target.identity.type.includes('SystemAssigned')) {
    return `the target '${target.name}' reads the backup with its system-assigned identity, but it has none (identity.type is '${target.identity.type}')`;
  }
  if (access.type === 'UserAssignedManagedIdentity' && !target.identity.userAssignedClientIds.includes(access.clientId)) {
    return `the target '${target.name}' reads the backup with user-assigned identity '${access.clientId}', which is not assigned to it`;
  }
  return undefined;
}

function customHostnames(s: ServiceSnapshot): string[] {
  return s.hostnames
    .filter((h) => !h.toLowerCase().endsWith('.azure-api.net'))
    .map((h) => h.toLowerCase())
    .sort();
}

function differingProtocolSettings(source: ServiceSnapshot, target: ServiceSnapshot): string[] {
  const keys = new Set([...Object.keys(source.customProperties), ...Object.keys(target.customProperties)].filter((k) => PROTOCOL_SETTING.test(k)));
  return [...keys]
    .sort()
    .filter((k) => (source.customProperties[k] ?? '').toLowerCase() !== (target.customProperties[k] ?? '').toLowerCase())
    .map(
      (k) =>
        `${k.replace(/^Microsoft\.WindowsAzure\.ApiManagement\.Gateway\./, '')}: '${source.customProperties[k] ?? '(unset)'}' → '${target.customProperties[k] ?? '(unset)'}'`,
    );
}

function identityType(s: ServiceSnapshot): string {
  return s.identity.type.replace(/\s/g, '').toLowerCase();
}

function normalizeLocation(location: string): string {
  return location.replace(/\s/g, '').toLowerCase();
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : 'none';
}
