/** The restore dry run as a person sees it before a restore: the compatibility report, and what runs first. */
import type { CompatibilityReport } from '../../domain/compatibility';
import type { Services } from '../../services';
import { checkRestore, type CheckRequest } from './checkRestore';
import { preRestoreStep, type PreRestoreAsk, type PreRestoreStep } from './preRestoreStep';

export type RestoreDryRun = CompatibilityReport & {
  /** The pre-restore backup of the target that would run first: its expected duration and how to skip it. */
  preRestoreBackup?: PreRestoreStep;
};

export async function restoreDryRun(services: Services, request: CheckRequest & Pick<PreRestoreAsk, 'preRestoreBackup' | 'purpose'>): Promise<RestoreDryRun> {
  const { preRestoreBackup, purpose, ...check } = request;
  const [report, step] = await Promise.all([
    checkRestore(services, check),
    preRestoreStep(services, { source: check.source, target: check.target, preRestoreBackup, purpose }),
  ]);
  return { ...report, ...(step ? { preRestoreBackup: step } : {}) };
}
