/**
 * "If I move this instance off stv1 now, what happens?" Pure rules over the instance as ARM returns it and what
 * apim-dr knows about it. Every finding names the instance and the fix, in the style of the restore check.
 */
import { checkRestoreCompatibility, NOT_IN_BACKUP, type Finding, type Severity } from './compatibility';
import type { StorageAccess } from './storageAccess';
import type { ReadinessProblem } from './backupReadiness';
import { RESTORE_WINDOW_MS } from './expiry';
import type { ServiceSnapshot } from './service';

export type MigrationMode = 'PreserveIp' | 'NewIP';
export type MigrationVerdict = 'FullyMigratable' | 'PartiallyMigratable' | 'NotMigratable';

/** Only these tiers were ever hosted on stv1. */
export const STV1_TIERS = ['Developer', 'Basic', 'Standard', 'Premium'];

/** What Microsoft documents for the operation (minutes). */
export const MIGRATION_FACTS = {
  expectedMs: 45 * 60_000,
  /** Still `Updating` after this long: open a support case. */
  supportCaseAfterMs: 2 * 60 * 60_000,
  preserveIpDowntimeMinutes: 15,
  preserveIpLockMinutes: 45,
  newIpLockMinutes: 30,
  newIpOldComputeMinutes: 15,
};

/** stv2.1 is stv2 on newer hardware, which Azure may move an instance to by itself: it counts as migrated. */
export function isMigrated(platformVersion: string): boolean {
  return platformVersion === 'stv2' || platformVersion === 'stv2.1';
}

/** Every region with its platform; manifests written before regions were recorded know only the primary's. */
export function regionsOf(service: ServiceSnapshot): { location: string; platformVersion: string; publicIPAddresses: string[]; subnetId?: string }[] {
  return service.regions?.length
    ? service.regions
    : [service.location, ...service.additionalLocations].map((location) => ({ location, platformVersion: service.platformVersion, publicIPAddresses: [] }));
}

export interface MigrationCheckInput {
  service: ServiceSnapshot;
  mode: MigrationMode;
  workspaceGateways: number;
  /** Why apim-dr could not take the pre-migration backup now (not protected, backup readiness): empty when it can. */
  backupProblems: ReadinessProblem[];
  /** An apim-dr restore or migration already running on the instance. */
  runningOperation?: string;
  /** Other configured instances in one of this instance's subnets: migrate them one at a time. */
  subnetNeighbours: string[];
  now: Date;
}

export interface MigrationReport {
  verdict: MigrationVerdict;
  service: string;
  mode: MigrationMode;
  platformVersion: string;
  /** Until when the pre-migration backup taken now could be restored: the way back closes then. */
  wayBackUntil?: string;
  /** Today's public IPs per region (NewIP changes them). */
  publicIPs: Record<string, string[]>;
  findings: Finding[];
}

/** Warnings that are the chosen mode's known price, not work left for the operator: they do not make a migration partial. */
const MODE_TRADE_OFFS = new Set(['PreserveIpDowntime']);

export function checkMigration(input: MigrationCheckInput): MigrationReport {
  const { service, mode } = input;
  const name = service.name;
  const findings: Finding[] = [];
  const add = (severity: Severity, code: string, message: string, fix: string) => findings.push({ code, severity, message, fix });
  const regions = regionsOf(service);
  const onStv1 = regions.filter((r) => r.platformVersion === 'stv1');
  const vnet = service.virtualNetworkType !== 'None';

  // Blocking: ARM would refuse, or there would be no way back.
  if (!STV1_TIERS.includes(service.sku.name)) {
    add(
      'blocking',
      'TierHasNoStv1',
      `'${name}' is on the ${service.sku.name} tier, which never ran on stv1 (platform '${service.platformVersion}')`,
      'nothing to migrate: only Developer, Basic, Standard and Premium instances can be on stv1',
    );
  } else if (onStv1.length === 0) {
    const migrated = regions.every((r) => isMigrated(r.platformVersion));
    add(
      'blocking',
      migrated ? 'AlreadyOnStv2' : 'PlatformUndetermined',
      migrated
        ? `'${name}' already runs on ${describeRegions(regions)}: ARM answers a migration with 'NotSupported'`
        : `'${name}' reports platform ${describeRegions(regions)}, not stv1`,
      migrated ? 'nothing to do: the instance is off the retired platform' : "check the instance's platform in the portal (Overview) and try again later",
    );
  }
  if (service.provisioningState !== 'Succeeded') {
    add(
      'blocking',
      'InstanceBusy',
      `'${name}' is '${service.provisioningState}': another operation is running on it`,
      'wait for that operation to finish, then check again',
    );
  }
  if (input.runningOperation) {
    add('blocking', 'OperationRunning', `${input.runningOperation} on '${name}'`, 'wait for it to finish, then check again');
  }
  for (const problem of input.backupProblems) {
    add(
      'blocking',
      problem.code === 'WorkspaceGateways' ? 'WorkspaceGateways' : 'NoPreMigrationBackup',
      `no pre-migration backup is possible, and it is the only way back after the migration: ${problem.message}`,
      problem.fix,
    );
  }

  // Warnings: the migration works, but it costs something or needs work ARM cannot show.
  if (mode === 'PreserveIp') {
    add(
      'warning',
      'PreserveIpDowntime',
      `PreserveIp keeps the public IP, but API requests to '${name}' fail for about ${MIGRATION_FACTS.preserveIpDowntimeMinutes} minutes and its configuration is locked for about ${MIGRATION_FACTS.preserveIpLockMinutes}`,
      'run it in a maintenance window, or use mode NewIP (no downtime, new IP)',
    );
  } else {
    const ips = regions.map((r) => `${r.location}: ${r.publicIPAddresses.length ? r.publicIPAddresses.join(', ') : 'unknown'}`).join('; ');
    add(
      'warning',
      'NewIpChangesAddresses',
      `NewIP gives '${name}' new public IPs (today ${ips}); its configuration is locked for about ${MIGRATION_FACTS.newIpLockMinutes} minutes`,
      'after the migration, update DNS A records, firewalls and backends that allow-list these addresses; apim-dr records the new ones',
    );
  }
  if (input.workspaceGateways > 0 && !input.backupProblems.some((p) => p.code === 'WorkspaceGateways')) {
    add(
      'warning',
      'WorkspaceGateways',
      `'${name}' has ${input.workspaceGateways} workspace gateway(s), which APIM cannot back up`,
      'protect the workspaces by configuration export before migrating',
    );
  }
  if (vnet) {
    add(
      'warning',
      'VnetPrerequisites',
      `'${name}' is injected into a virtual network (${service.virtualNetworkType}); ARM cannot show whether: (1) the subnet's NSG allows stv2's management traffic, (2) the subnet has free addresses for a second copy of the instance during the migration, (3) autoscale is off`,
      `check (1) the NSG rules in Microsoft's stv2 VNet reference, (2) 'az network vnet subnet show --ids ${regions.find((r) => r.subnetId)?.subnetId ?? '<subnet>'}' for free addresses, (3) the instance's autoscale settings; then migrate`,
    );
    add(
      'warning',
      'NetworkJoinPermission',
      `a VNet-injected migration also needs 'Microsoft.Network/virtualNetworks/subnets/join/action' (and 'Microsoft.Network/publicIPAddresses/join/action' where a public IP is set), which apim-dr's APIM role does not grant (infra/ grants them with networkJoinScopes)`,
      "grant the app's identity these actions on the subnet (infra parameter 'networkJoinScopes'), or run the migration as someone who has them",
    );
    if (mode === 'NewIP') {
      add(
        'info',
        'OldComputeKept',
        `with NewIP the old compute of '${name}' keeps serving for about ${MIGRATION_FACTS.newIpOldComputeMinutes} minutes`,
        'move DNS, UDRs and NSG rules to the new addresses within that time',
      );
    }
  }
  if (input.subnetNeighbours.length) {
    add(
      'warning',
      'SubnetShared',
      `'${name}' shares a subnet with ${input.subnetNeighbours.map((n) => `'${n}'`).join(', ')}`,
      'migrate instances that share a subnet one at a time',
    );
  }

  // Information.
  if (regions.length > 1) {
    add(
      'info',
      'AllRegions',
      `'${name}' runs in ${regions.length} regions (${describeRegions(regions)}); one migration moves them all`,
      'none: plan the window for every region',
    );
  }
  const wayBackUntil = new Date(input.now.getTime() + RESTORE_WINDOW_MS).toISOString();
  add(
    'info',
    'Irreversible',
    `a successful migration cannot be undone; the way back is to restore the pre-migration backup into another ${service.sku.name} instance, possible until ${wayBackUntil}`,
    "keep a spare instance in mind; 'apim-dr migrate --rollback <record> --to <instance>' does it",
  );

  const blocking = findings.some((f) => f.severity === 'blocking');
  const partial = findings.some((f) => f.severity === 'warning' && !MODE_TRADE_OFFS.has(f.code));
  return {
    verdict: blocking ? 'NotMigratable' : partial ? 'PartiallyMigratable' : 'FullyMigratable',
    service: name,
    mode,
    platformVersion: service.platformVersion,
    ...(blocking ? {} : { wayBackUntil }),
    publicIPs: publicIPs(service),
    findings,
  };
}

export interface SideBySideInput {
  source: ServiceSnapshot;
  target: ServiceSnapshot;
  targetWorkspaceGateways: number;
  /** Why the target may not be restored into (not a configured standby of the source), if it may not. */
  consent?: { code: string; message: string; fix: string };
  /** How the target's APIM identity will read the backup. */
  access: StorageAccess;
  backupProblems: ReadinessProblem[];
  /** An apim-dr restore or migration already running on the target. */
  runningOperation?: string;
  now: Date;
}

export interface SideBySideReport extends Omit<MigrationReport, 'mode'> {
  target: string;
  /** What the operator does to cut over once the target is verified: a backup carries none of it. */
  checklist: string[];
}

/**
 * Side by side: the restore check of a backup taken now (the source as it is) into the target, with the target's
 * platform made blocking, plus what migration adds. The source is never touched: the way back is to keep using it.
 */
export function checkSideBySide(input: SideBySideInput): SideBySideReport {
  const { source, target } = input;
  const restore = checkRestoreCompatibility({
    backup: {
      backupName: `the pre-migration backup of '${source.name}'`,
      state: 'succeeded',
      createdAt: input.now.toISOString(),
      expiresAt: new Date(input.now.getTime() + RESTORE_WINDOW_MS).toISOString(),
      source,
      blobSize: 1,
    },
    target,
    targetWorkspaceGateways: input.targetWorkspaceGateways,
    access: input.access,
    targetIsStandby: !input.consent,
    allowInPlace: false,
    now: input.now,
    restoreMarginMs: 0,
  });
  const findings: Finding[] = [];
  if (input.consent) findings.push({ severity: 'blocking', ...input.consent });
  if (input.runningOperation) {
    findings.push({ severity: 'blocking', code: 'OperationRunning', message: `${input.runningOperation} on '${target.name}'`, fix: 'wait for it to finish' });
  }
  for (const problem of input.backupProblems) {
    findings.push({
      severity: 'blocking',
      code: 'NoPreMigrationBackup',
      message: `no pre-migration backup of '${source.name}' is possible: ${problem.message}`,
      fix: problem.fix,
    });
  }
  const targetRegions = regionsOf(target);
  if (!targetRegions.every((r) => isMigrated(r.platformVersion))) {
    findings.push({
      severity: 'blocking',
      code: 'TargetNotOnStv2',
      message: `the target '${target.name}' runs ${describeRegions(targetRegions)}: a side-by-side migration needs a target on stv2`,
      fix: `create a new ${source.sku.name} instance (every new instance is on stv2), add it as a standby of '${source.name}', and migrate into it`,
    });
  }
  if (!regionsOf(source).some((r) => r.platformVersion === 'stv1')) {
    findings.push({
      severity: 'warning',
      code: 'SourceNotOnStv1',
      message: `'${source.name}' already runs ${describeRegions(regionsOf(source))}: this moves its configuration, not its platform`,
      fix: 'none if a move is what you want',
    });
  }
  const replaced = new Set(['TargetOnRetiredPlatform', 'PlatformDiffers', 'BackupAge', 'NotInBackup']);
  findings.push(...restore.findings.filter((f) => !replaced.has(f.code)));
  findings.push({
    severity: 'info',
    code: 'SourceUntouched',
    message: `'${source.name}' keeps running as it is: until the cut-over, the way back is to keep using it`,
    fix: 'decommission it only after the target has taken the traffic for a while',
  });
  const blocking = findings.some((f) => f.severity === 'blocking');
  return {
    verdict: blocking ? 'NotMigratable' : findings.some((f) => f.severity === 'warning') ? 'PartiallyMigratable' : 'FullyMigratable',
    service: source.name,
    target: target.name,
    platformVersion: source.platformVersion,
    ...(blocking ? {} : { wayBackUntil: new Date(input.now.getTime() + RESTORE_WINDOW_MS).toISOString() }),
    publicIPs: publicIPs(source),
    findings,
    checklist: cutOverChecklist(source, target),
  };
}

/** The cut-over after a verified side-by-side restore: what DNS and the target need, and what no backup carries. */
export function cutOverChecklist(source: ServiceSnapshot, target: ServiceSnapshot): string[] {
  const custom = source.hostnames.filter((h) => !h.toLowerCase().endsWith('.azure-api.net'));
  return [
    ...(custom.length
      ? [
          `add the custom domains ${custom.join(', ')} to '${target.name}' with their certificates (Key Vault references need its identity to have access)`,
          `point the DNS records of ${custom.join(', ')} at '${target.name}' (CNAME to ${target.name}.azure-api.net, or the new public IP); lower their TTL a day before`,
        ]
      : [`move clients from ${source.name}.azure-api.net to ${target.name}.azure-api.net, or give both a custom domain and move its DNS record`]),
    `set up on '${target.name}' what no backup carries: ${NOT_IN_BACKUP.join(', ')}`,
    `update firewalls and backends that allow-list the IPs of '${source.name}' (${regionsOf(source)
      .flatMap((r) => r.publicIPAddresses)
      .join(', ')}) with those of '${target.name}' (${regionsOf(target)
      .flatMap((r) => r.publicIPAddresses)
      .join(', ')})`,
    `once '${target.name}' has taken the traffic for a while, decommission '${source.name}' (and remove it from the apim-dr config)`,
  ];
}

/** Public IPs per region, as the migration record keeps them before and after. */
export function publicIPs(service: ServiceSnapshot): Record<string, string[]> {
  return Object.fromEntries(regionsOf(service).map((r) => [r.location, r.publicIPAddresses]));
}

function describeRegions(regions: { location: string; platformVersion: string }[]): string {
  return regions.map((r) => `${r.platformVersion} in ${r.location}`).join(', ');
}
