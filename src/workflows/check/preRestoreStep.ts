/**
 * What adds to the RTO before the restore itself: a restore into a protected target backs it up first (its way back).
 * The dry run and every confirmation prompt say so, with how long the target's backups usually take (its own history,
 * from the catalog index) and how to skip it, which a second person must approve where approvals apply.
 */
import { resolveInstance, resolveService, restoreRelation } from '../../config/resolveService';
import { restoreApprovalReason } from '../../domain/approvalNeed';
import { formatDuration } from '../../domain/duration';
import type { RestorePurpose } from '../../domain/restoreRecord';
import { durationStats } from '../../domain/rpoPlan';
import type { Services } from '../../services';

export interface PreRestoreStep {
  target: string;
  /** The median of the target's recent backups; absent without any to time it by. */
  expectedMs?: number;
  samples: number;
  message: string;
  /** How to skip it, as a CLI flag (HTTP callers get the body field: http/httpFixes.ts). */
  fix: string;
}

export interface PreRestoreAsk {
  source: string;
  target: string;
  /** false: the caller skips it already. */
  preRestoreBackup?: boolean;
  purpose?: RestorePurpose;
}

/** The pre-restore backup this restore would run first, or undefined when none would run. */
export async function preRestoreStep(services: Services, ask: PreRestoreAsk): Promise<PreRestoreStep | undefined> {
  const target = resolveInstance(services.config, ask.target, 'target');
  if (ask.preRestoreBackup === false || !target.protected || ask.purpose === 'rollback') return undefined;
  const durations = (await services.catalogIndex.view()).durations.get(target.ref.name.toLowerCase()) ?? [];
  const stats = durationStats(durations);
  const expected = stats.samples
    ? `about ${formatDuration(stats.medianMs)}, the median of its last ${stats.samples}`
    : 'no earlier backup of it to time this one by';
  const skipping = restoreApprovalReason(services.config.approvals, {
    relation: restoreRelation(resolveService(services.config, ask.source, 'source').ref.id, target),
    purpose: ask.purpose ?? 'restore',
    target: target.ref.name,
    targetProtected: true,
    preRestoreBackup: false,
  });
  return {
    target: target.ref.name,
    ...(stats.samples ? { expectedMs: stats.medianMs } : {}),
    samples: stats.samples,
    message: `a pre-restore backup of '${target.ref.name}' runs first (${expected}): it adds to the RTO, and it is the way back`,
    fix: `--no-pre-backup skips it, and with it the way back${skipping ? ` (a second person must approve that: ${skipping})` : ''}`,
  };
}
