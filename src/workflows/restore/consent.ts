/**
 * Whose configuration a restore may replace: a configured standby of the source, the source's drill target (for
 * drills), or the source itself (with explicit consent). Checked at the request and again by the gate activity.
 */
import type { RestoreRelation } from '../../config/resolveService';
import type { RestorePurpose } from '../../domain/restoreRecord';

export interface ConsentProblem {
  code: 'NotAStandby' | 'InPlaceNotAllowed';
  message: string;
  fix: string;
}

export function consentProblem(
  relation: RestoreRelation,
  purpose: RestorePurpose,
  allowInPlace: boolean,
  source: string,
  target: string,
): ConsentProblem | undefined {
  switch (relation) {
    case 'standby':
      return undefined;
    case 'in-place':
      // A rollback restores the target's own pre-restore backup: in place by nature, consented to by asking for it.
      if (allowInPlace || purpose === 'rollback') return undefined;
      return {
        code: 'InPlaceNotAllowed',
        message: `restoring '${source}' into itself replaces its configuration with the backup's`,
        fix: `send allowInPlace: true (CLI: --in-place) and confirm with '${source}'; a pre-restore backup is taken first as the rollback path`,
      };
    case 'drill-target':
      if (purpose === 'drill') return undefined;
      return {
        code: 'NotAStandby',
        message: `'${target}' is the drill target of '${source}', not a standby: only drills restore into it`,
        fix: `add it to services[].standbys of '${source}' in the config to restore into it on demand`,
      };
    case 'none':
      return {
        code: 'NotAStandby',
        message: `'${target}' is not a configured standby of '${source}'`,
        fix: `add it to services[].standbys of '${source}' in the config`,
      };
  }
}
