/**
 * The restore compatibility rules, one function each, and the table that lists them in the order their findings
 * are reported. Each rule reads the backup's manifest (the source as it was) and the target as ARM returns it now,
 * and names both sides and the fix.
 */
import { formatDuration } from './duration';
import { restoreRefusal, type ExpiringBackup } from './expiry';
import { finding, type Finding } from './finding';
import { isTierSupported, type ServiceSnapshot } from './service';
import type { StorageAccess } from './storageAccess';

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

/** A rule: the finding it makes of the input, if any. */
export type RestoreRule = (input: CompatibilityInput) => Finding | undefined;

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

// Blocking: APIM would refuse, or the restore would hit the wrong instance.

export const tierMismatch: RestoreRule = ({ backup: { source }, target }) =>
  target.sku.name !== source.sku.name
    ? finding(
        'blocking',
        'TierMismatch',
        `Cannot restore: current SKU is '${target.sku.name}', backup SKU is '${source.sku.name}' (target '${target.name}', backup of '${source.name}')`,
        `restore into a ${source.sku.name} instance, or change '${target.name}' to the ${source.sku.name} tier first`,
      )
    : undefined;

export const targetTierNotSupported: RestoreRule = ({ target }) =>
  isTierSupported(target.sku.name)
    ? undefined
    : finding(
        'blocking',
        'TargetTierNotSupported',
        `'${target.name}' is on the ${target.sku.name} tier, which cannot restore a backup`,
        'restore into a Developer, Basic, Standard or Premium instance',
      );

export const targetHasWorkspaceGateways: RestoreRule = ({ target, targetWorkspaceGateways }) =>
  targetWorkspaceGateways > 0
    ? finding(
        'blocking',
        'TargetHasWorkspaceGateways',
        `'${target.name}' has ${targetWorkspaceGateways} workspace gateway(s); APIM cannot restore into an instance with workspace gateways`,
        'remove the workspace gateways from the target, or restore into another instance',
      )
    : undefined;

export const targetBusy: RestoreRule = ({ target }) =>
  target.provisioningState !== 'Succeeded'
    ? finding(
        'blocking',
        'TargetBusy',
        `'${target.name}' is '${target.provisioningState}': another operation is running on it`,
        'wait for that operation to finish, then check again',
      )
    : undefined;

/** Expired, expiring within the margin, or not a success: APIM would refuse it, or it could expire mid-restore. */
export const backupNotRestorable: RestoreRule = (input) => {
  const refusal = restoreRefusal(input.backup, input.now, input.restoreMarginMs, input.newestRestorable);
  if (!refusal) return undefined;
  const fix = input.newestRestorable ? `use --backup ${input.newestRestorable.backupName}` : `take a new backup of '${input.backup.source.name}'`;
  return finding('blocking', refusal.code, refusal.message, fix);
};

/** Only for a backup that is otherwise restorable: a refused one already says why. */
export const backupBlobMissing: RestoreRule = (input) => {
  const { backup } = input;
  if (backup.blobSize || restoreRefusal(backup, input.now, input.restoreMarginMs, input.newestRestorable)) return undefined;
  return finding(
    'blocking',
    'BackupBlobMissing',
    `the blob of backup '${backup.backupName}' is ${backup.blobSize === 0 ? 'empty' : 'missing'} in the backup container`,
    'choose another backup; check the container for deletions or a lifecycle rule',
  );
};

export const inPlaceWithoutConsent: RestoreRule = ({ backup: { source }, target, allowInPlace }) =>
  sameId(source.id, target.id) && !allowInPlace
    ? finding(
        'blocking',
        'InPlaceWithoutConsent',
        `the target '${target.name}' is the instance the backup was taken from: restoring would overwrite it in place`,
        "to roll an instance back on purpose, set allowInPlace and confirm with the instance's name",
      )
    : undefined;

export const targetIdentityCannotReadBackup: RestoreRule = ({ target, access }) => {
  const problem = identityCannotRead(target, access);
  return problem
    ? finding(
        'blocking',
        'TargetIdentityCannotReadBackup',
        problem,
        "enable the identity on the target and grant it 'Storage Blob Data Contributor' on the backup container, or configure another access type for it",
      )
    : undefined;
};

// Warnings: the restore works, but something will not match or is not recommended.

/** On stv1 the target's retirement outweighs any platform difference, so the one rule says either. */
export const targetPlatform: RestoreRule = ({ backup: { source }, target }) => {
  if (target.platformVersion === 'stv1') {
    return finding(
      'warning',
      'TargetOnRetiredPlatform',
      `'${target.name}' runs on the retired stv1 platform`,
      "migrate it in place with 'migrateToStv2', or restore into a new stv2 instance (side-by-side migration)",
    );
  }
  return target.platformVersion !== source.platformVersion
    ? finding(
        'warning',
        'PlatformDiffers',
        `the backup comes from platform '${source.platformVersion}' and '${target.name}' runs '${target.platformVersion}'`,
        'expected when migrating; otherwise align the platforms',
      )
    : undefined;
};

export const fewerUnits: RestoreRule = ({ backup: { source }, target }) =>
  target.sku.capacity < source.sku.capacity
    ? finding(
        'warning',
        'FewerUnits',
        `'${target.name}' has ${target.sku.capacity} unit(s), '${source.name}' had ${source.sku.capacity}`,
        `scale '${target.name}' to ${source.sku.capacity} unit(s) before it takes production traffic`,
      )
    : undefined;

export const fewerRegions: RestoreRule = ({ backup: { source }, target }) =>
  target.additionalLocations.length < source.additionalLocations.length
    ? finding(
        'warning',
        'FewerRegions',
        `'${source.name}' also ran in ${list(source.additionalLocations)}, '${target.name}' only in ${list([target.location, ...target.additionalLocations])}`,
        'add the missing regions to the target if its traffic needs them',
      )
    : undefined;

export const hostnamesDiffer: RestoreRule = ({ backup: { source }, target }) => {
  const sourceHosts = customHostnames(source);
  const targetHosts = customHostnames(target);
  return sameSet(sourceHosts, targetHosts)
    ? undefined
    : finding(
        'warning',
        'HostnamesDiffer',
        `custom hostnames differ: '${source.name}' has ${list(sourceHosts)}, '${target.name}' has ${list(targetHosts)}; a restore leaves the target's hostnames as they are`,
        'give the standby the same custom hostnames and certificates, so that DR is a DNS change',
      );
};

export const protocolSettingsDiffer: RestoreRule = ({ backup: { source }, target }) => {
  const differing = differingProtocolSettings(source, target);
  return differing.length
    ? finding(
        'warning',
        'ProtocolSettingsDiffer',
        `protocol and cipher settings differ and are not in a backup: ${differing.join('; ')}`,
        `set the same customProperties on '${target.name}'`,
      )
    : undefined;
};

export const vnetTypeDiffers: RestoreRule = ({ backup: { source }, target }) =>
  source.virtualNetworkType !== target.virtualNetworkType
    ? finding(
        'warning',
        'VnetTypeDiffers',
        `virtual network type: '${source.name}' is '${source.virtualNetworkType}', '${target.name}' is '${target.virtualNetworkType}'`,
        'align the network integration; a backup does not carry it',
      )
    : undefined;

export const identityDiffers: RestoreRule = ({ backup: { source }, target }) =>
  identityType(source) !== identityType(target)
    ? finding(
        'warning',
        'IdentityDiffers',
        `managed identity: '${source.name}' has '${source.identity.type}', '${target.name}' has '${target.identity.type}'; a restore does not bring identities, so Key Vault named values and certificates may not resolve`,
        'give the target the identities (and Key Vault access) the source had',
      )
    : undefined;

export const overwritesTarget: RestoreRule = ({ backup: { source }, target, targetIsStandby }) =>
  targetIsStandby
    ? undefined
    : finding(
        'warning',
        'OverwritesTarget',
        `the restore replaces the whole configuration of '${target.name}', which is not a configured standby of '${source.name}'; changes made there are lost`,
        'take a pre-restore backup of the target (the default for restores into instances that are not pure standbys)',
      );

// Information.

export const differentRegion: RestoreRule = ({ backup: { source }, target }) =>
  normalizeLocation(source.location) !== normalizeLocation(target.location)
    ? finding(
        'info',
        'DifferentRegion',
        `the backup comes from ${source.location}; '${target.name}' is in ${target.location}`,
        'none: expected for a standby in another region',
      )
    : undefined;

export const backupAge: RestoreRule = ({ backup, now }) => {
  const age = now.getTime() - Date.parse(backup.createdAt);
  const left = Date.parse(backup.expiresAt) - now.getTime();
  return finding(
    'info',
    'BackupAge',
    `backup '${backup.backupName}' is ${formatDuration(age)} old and ${left > 0 ? `can be restored for ${formatDuration(left)} more` : 'has expired'}`,
    'none',
  );
};

export const notInBackup: RestoreRule = () =>
  finding(
    'info',
    'NotInBackup',
    `not in any backup, so not restored: ${NOT_IN_BACKUP.join(', ')}`,
    'set these up on the target separately (infrastructure as code)',
  );

export const standbyOverwritten: RestoreRule = ({ backup: { source }, target, targetIsStandby }) =>
  targetIsStandby
    ? finding(
        'info',
        'StandbyOverwritten',
        `'${target.name}' is a configured standby of '${source.name}': its configuration will be replaced, as intended`,
        'none',
      )
    : undefined;

/** Every rule, in the order its findings are reported: blocking, then warnings, then information. */
export const RESTORE_RULES: readonly RestoreRule[] = [
  tierMismatch,
  targetTierNotSupported,
  targetHasWorkspaceGateways,
  targetBusy,
  backupNotRestorable,
  backupBlobMissing,
  inPlaceWithoutConsent,
  targetIdentityCannotReadBackup,
  targetPlatform,
  fewerUnits,
  fewerRegions,
  hostnamesDiffer,
  protocolSettingsDiffer,
  vnetTypeDiffers,
  identityDiffers,
  overwritesTarget,
  differentRegion,
  backupAge,
  notInBackup,
  standbyOverwritten,
];

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
