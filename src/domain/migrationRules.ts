/**
 * The in-place migration rules, one function each, and the table that lists them in the order their findings are
 * reported. Each rule reads the instance as ARM returns it and what apim-dr knows about it, and names the fix.
 */
import type { ReadinessProblem } from './backupReadiness';
import { RESTORE_WINDOW_MS } from './expiry';
import { finding, type Finding } from './finding';
import { describeRegions, isMigrated, MIGRATION_FACTS, regionsOf, STV1_TIERS, type MigrationMode } from './migrationFacts';
import type { ServiceSnapshot } from './service';

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

/** A rule: the findings it makes of the input (most make one or none). */
export type MigrationRule = (input: MigrationCheckInput) => Finding[];

/** Until when a pre-migration backup taken now can be restored: the way back closes then. */
export function wayBackUntil(now: Date): string {
  return new Date(now.getTime() + RESTORE_WINDOW_MS).toISOString();
}

// Blocking: ARM would refuse, or there would be no way back.

/** A tier that never ran on stv1, or an instance already off it (or whose platform is not known). */
export const notOnStv1: MigrationRule = ({ service }) => {
  const name = service.name;
  const regions = regionsOf(service);
  if (!STV1_TIERS.includes(service.sku.name)) {
    return [
      finding(
        'blocking',
        'TierHasNoStv1',
        `'${name}' is on the ${service.sku.name} tier, which never ran on stv1 (platform '${service.platformVersion}')`,
        'nothing to migrate: only Developer, Basic, Standard and Premium instances can be on stv1',
      ),
    ];
  }
  if (regions.some((r) => r.platformVersion === 'stv1')) return [];
  const migrated = regions.every((r) => isMigrated(r.platformVersion));
  return [
    finding(
      'blocking',
      migrated ? 'AlreadyOnStv2' : 'PlatformUndetermined',
      migrated
        ? `'${name}' already runs on ${describeRegions(regions)}: ARM answers a migration with 'NotSupported'`
        : `'${name}' reports platform ${describeRegions(regions)}, not stv1`,
      migrated ? 'nothing to do: the instance is off the retired platform' : "check the instance's platform in the portal (Overview) and try again later",
    ),
  ];
};

export const instanceBusy: MigrationRule = ({ service }) =>
  service.provisioningState !== 'Succeeded'
    ? [
        finding(
          'blocking',
          'InstanceBusy',
          `'${service.name}' is '${service.provisioningState}': another operation is running on it`,
          'wait for that operation to finish, then check again',
        ),
      ]
    : [];

export const operationRunning: MigrationRule = ({ service, runningOperation }) =>
  runningOperation ? [finding('blocking', 'OperationRunning', `${runningOperation} on '${service.name}'`, 'wait for it to finish, then check again')] : [];

/** One finding per reason the pre-migration backup cannot be taken: it is the only way back. */
export const noPreMigrationBackup: MigrationRule = ({ backupProblems }) =>
  backupProblems.map((problem) =>
    finding(
      'blocking',
      problem.code === 'WorkspaceGateways' ? 'WorkspaceGateways' : 'NoPreMigrationBackup',
      `no pre-migration backup is possible, and it is the only way back after the migration: ${problem.message}`,
      problem.fix,
    ),
  );

// Warnings: the migration works, but it costs something or needs work ARM cannot show.

/** The chosen mode's price: downtime with PreserveIp, new addresses with NewIP. */
export const modeCost: MigrationRule = ({ service, mode }) => {
  const name = service.name;
  if (mode === 'PreserveIp') {
    return [
      finding(
        'warning',
        'PreserveIpDowntime',
        `PreserveIp keeps the public IP, but API requests to '${name}' fail for about ${MIGRATION_FACTS.preserveIpDowntimeMinutes} minutes and its configuration is locked for about ${MIGRATION_FACTS.preserveIpLockMinutes}`,
        'run it in a maintenance window, or use mode NewIP (no downtime, new IP)',
      ),
    ];
  }
  const ips = regionsOf(service)
    .map((r) => `${r.location}: ${r.publicIPAddresses.length ? r.publicIPAddresses.join(', ') : 'unknown'}`)
    .join('; ');
  return [
    finding(
      'warning',
      'NewIpChangesAddresses',
      `NewIP gives '${name}' new public IPs (today ${ips}); its configuration is locked for about ${MIGRATION_FACTS.newIpLockMinutes} minutes`,
      'after the migration, update DNS A records, firewalls and backends that allow-list these addresses; apim-dr records the new ones',
    ),
  ];
};

/** Workspace gateways the backup cannot carry (unless they already block the pre-migration backup). */
export const workspaceGateways: MigrationRule = ({ service, workspaceGateways, backupProblems }) =>
  workspaceGateways > 0 && !backupProblems.some((p) => p.code === 'WorkspaceGateways')
    ? [
        finding(
          'warning',
          'WorkspaceGateways',
          `'${service.name}' has ${workspaceGateways} workspace gateway(s), which APIM cannot back up`,
          'protect the workspaces by configuration export before migrating',
        ),
      ]
    : [];

const inVnet = (service: ServiceSnapshot) => service.virtualNetworkType !== 'None';

export const vnetPrerequisites: MigrationRule = ({ service }) =>
  inVnet(service)
    ? [
        finding(
          'warning',
          'VnetPrerequisites',
          `'${service.name}' is injected into a virtual network (${service.virtualNetworkType}); ARM cannot show whether: (1) the subnet's NSG allows stv2's management traffic, (2) the subnet has free addresses for a second copy of the instance during the migration, (3) autoscale is off`,
          `check (1) the NSG rules in Microsoft's stv2 VNet reference, (2) 'az network vnet subnet show --ids ${regionsOf(service).find((r) => r.subnetId)?.subnetId ?? '<subnet>'}' for free addresses, (3) the instance's autoscale settings; then migrate`,
        ),
      ]
    : [];

export const networkJoinPermission: MigrationRule = ({ service }) =>
  inVnet(service)
    ? [
        finding(
          'warning',
          'NetworkJoinPermission',
          `a VNet-injected migration also needs 'Microsoft.Network/virtualNetworks/subnets/join/action' (and 'Microsoft.Network/publicIPAddresses/join/action' where a public IP is set), which apim-dr's APIM role does not grant (infra/ grants them with networkJoinScopes)`,
          "grant the app's identity these actions on the subnet (infra parameter 'networkJoinScopes'), or run the migration as someone who has them",
        ),
      ]
    : [];

/** Information, reported beside the network warnings it belongs to. */
export const oldComputeKept: MigrationRule = ({ service, mode }) =>
  inVnet(service) && mode === 'NewIP'
    ? [
        finding(
          'info',
          'OldComputeKept',
          `with NewIP the old compute of '${service.name}' keeps serving for about ${MIGRATION_FACTS.newIpOldComputeMinutes} minutes`,
          'move DNS, UDRs and NSG rules to the new addresses within that time',
        ),
      ]
    : [];

export const subnetShared: MigrationRule = ({ service, subnetNeighbours }) =>
  subnetNeighbours.length
    ? [
        finding(
          'warning',
          'SubnetShared',
          `'${service.name}' shares a subnet with ${subnetNeighbours.map((n) => `'${n}'`).join(', ')}`,
          'migrate instances that share a subnet one at a time',
        ),
      ]
    : [];

// Information.

export const allRegions: MigrationRule = ({ service }) => {
  const regions = regionsOf(service);
  return regions.length > 1
    ? [
        finding(
          'info',
          'AllRegions',
          `'${service.name}' runs in ${regions.length} regions (${describeRegions(regions)}); one migration moves them all`,
          'none: plan the window for every region',
        ),
      ]
    : [];
};

export const irreversible: MigrationRule = ({ service, now }) => [
  finding(
    'info',
    'Irreversible',
    `a successful migration cannot be undone; the way back is to restore the pre-migration backup into another ${service.sku.name} instance, possible until ${wayBackUntil(now)}`,
    "keep a spare instance in mind; 'apim-dr migrate --rollback <record> --to <instance>' does it",
  ),
];

/** Every rule, in the order its findings are reported. */
export const MIGRATION_RULES: readonly MigrationRule[] = [
  notOnStv1,
  instanceBusy,
  operationRunning,
  noPreMigrationBackup,
  modeCost,
  workspaceGateways,
  vnetPrerequisites,
  networkJoinPermission,
  oldComputeKept,
  subnetShared,
  allRegions,
  irreversible,
];
