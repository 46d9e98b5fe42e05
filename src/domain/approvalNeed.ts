/**
 * Which requests wait for a second person: an in-place restore of a protected instance, a restore that skips the
 * pre-restore backup of a protected target, and an in-place migration (irreversible). Restores into a configured
 * standby, syncs and drills (the config is their consent) need none. The reason is shown to both people.
 */
export interface ApprovalPolicy {
  inPlace: boolean;
}

export interface RestoreShape {
  relation: 'standby' | 'drill-target' | 'in-place' | 'none';
  purpose: 'restore' | 'sync' | 'drill' | 'rollback' | 'migration';
  target: string;
  targetProtected: boolean;
  preRestoreBackup: boolean;
}

export function restoreApprovalReason(policy: ApprovalPolicy, r: RestoreShape): string | undefined {
  if (!policy.inPlace || r.relation === 'standby' || r.purpose === 'sync' || r.purpose === 'drill' || r.purpose === 'migration') return undefined;
  if (r.relation === 'in-place') {
    return r.preRestoreBackup
      ? `an in-place restore replaces the configuration of the protected instance '${r.target}'`
      : `an in-place restore of the protected instance '${r.target}' without a pre-restore backup cannot be undone`;
  }
  if (r.targetProtected && !r.preRestoreBackup) return `the restore skips the pre-restore backup of the protected instance '${r.target}': it cannot be undone`;
  return undefined;
}

export function migrationApprovalReason(policy: ApprovalPolicy, kind: 'in-place' | 'side-by-side', service: string): string | undefined {
  if (!policy.inPlace || kind !== 'in-place') return undefined;
  return `an in-place migration of '${service}' off stv1 cannot be undone`;
}
