/**
 * "If I move this instance off stv1 now, what happens?" Pure rules over the instance as ARM returns it and what
 * apim-dr knows about it. Every finding names the instance and the fix, in the style of the restore check.
 */
import { checkRestoreCompatibility, NOT_IN_BACKUP, type Finding } from './compatibility';
import type { StorageAccess } from './storageAccess';
import type { ReadinessProblem } from './backupReadiness';
import { RESTORE_WINDOW_MS } from './expiry';
import { describeRegions, isMigrated, regionsOf, type MigrationMode } from './migrationFacts';
import { MIGRATION_RULES, wayBackUntil, type MigrationCheckInput } from './migrationRules';
import type { ServiceSnapshot } from './service';

export { isMigrated, MIGRATION_FACTS, regionsOf, STV1_TIERS, type MigrationMode } from './migrationFacts';
export type { MigrationCheckInput } from './migrationRules';

export type MigrationVerdict = 'FullyMigratable' | 'PartiallyMigratable' | 'NotMigratable';

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

/** Every rule of the table (migrationRules.ts) over the input; the verdict is the gravest finding's. */
export function checkMigration(input: MigrationCheckInput): MigrationReport {
  const { service, mode } = input;
  const findings = MIGRATION_RULES.flatMap((rule) => rule(input));
  const blocking = findings.some((f) => f.severity === 'blocking');
  const partial = findings.some((f) => f.severity === 'warning' && !MODE_TRADE_OFFS.has(f.code));
  return {
    verdict: blocking ? 'NotMigratable' : partial ? 'PartiallyMigratable' : 'FullyMigratable',
    service: service.name,
    mode,
    platformVersion: service.platformVersion,
    ...(blocking ? {} : { wayBackUntil: wayBackUntil(input.now) }),
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
    ...(blocking ? {} : { wayBackUntil: wayBackUntil(input.now) }),
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
