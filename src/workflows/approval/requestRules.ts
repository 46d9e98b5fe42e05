/**
 * The rules a recorded request must still meet when its orchestration runs, against today's config: the instances
 * exist, the target is the source's to replace (standby relation, in-place permission), the requester confirmed
 * the name of what changes, and the purpose fits the edge that recorded it. Also whether a second person must approve.
 */
import { z } from 'zod';
import { resolveInstance, resolveService, restoreRelation } from '../../config/resolveService';
import type { Config } from '../../config/schema';
import { migrationApprovalReason, restoreApprovalReason } from '../../domain/approvalNeed';
import type { ApprovalRecord } from '../../domain/approvalRecord';
import { RESTORE_PURPOSES } from '../../domain/restoreRecord';
import { UserError } from '../../errors';
import { consentProblem } from '../restore/consent';

export interface Problem {
  code: string;
  message: string;
  fix: string;
}

const restoreInput = z.object({
  sourceId: z.string(),
  targetId: z.string(),
  purpose: z.enum(RESTORE_PURPOSES),
  allowInPlace: z.boolean(),
  preRestoreBackup: z.boolean(),
});

const migrationInput = z.object({
  kind: z.enum(['in-place', 'side-by-side']),
  serviceId: z.string(),
  targetId: z.string().optional(),
});

/** The purposes each edge may ask for: people restore and roll back; the schedule syncs and drills. */
const PURPOSES_BY_VIA: Record<ApprovalRecord['via'], readonly string[]> = {
  http: ['restore', 'rollback'],
  cli: ['restore', 'rollback'],
  schedule: ['sync', 'drill'],
};

export function restoreProblem(config: Config, record: ApprovalRecord): Problem | { approvalReason?: string } {
  const parsed = restoreInput.safeParse(record.input);
  if (!parsed.success)
    return { code: 'RequestMismatch', message: `the recorded request '${record.recordName}' is not a restore request`, fix: 'request it again' };
  const input = parsed.data;
  return underConfig(() => {
    const source = resolveService(config, input.sourceId, 'source');
    const target = resolveInstance(config, input.targetId, 'target');
    if (!PURPOSES_BY_VIA[record.via].includes(input.purpose)) {
      return {
        code: 'PurposeNotAllowed',
        message: `a ${record.via} request cannot ask for a '${input.purpose}' restore`,
        fix: 'request a restore or a rollback',
      };
    }
    const relation = restoreRelation(source.ref.id, target);
    const consent = consentProblem(relation, input.purpose, input.allowInPlace, source.ref.name, target.ref.name);
    if (consent) return consent;
    if (record.confirm !== target.ref.name) {
      return {
        code: 'NotConfirmed',
        message: `the request did not confirm the target's name, '${target.ref.name}'`,
        fix: 'request it again with confirm set to the target’s name',
      };
    }
    if (input.preRestoreBackup && !target.protected) {
      return {
        code: 'NoPreRestoreBackup',
        message: `'${target.ref.name}' is not a protected instance, so apim-dr cannot back it up first`,
        fix: 'request it with preRestoreBackup: false',
      };
    }
    const approvalReason = restoreApprovalReason(config.approvals, {
      relation,
      purpose: input.purpose,
      target: target.ref.name,
      targetProtected: target.protected !== undefined,
      preRestoreBackup: input.preRestoreBackup,
    });
    return { approvalReason };
  });
}

export function migrationProblem(config: Config, record: ApprovalRecord): Problem | { approvalReason?: string } {
  const parsed = migrationInput.safeParse(record.input);
  if (!parsed.success || record.kind !== 'migration') {
    return { code: 'RequestMismatch', message: `the recorded request '${record.recordName}' is not a migration request`, fix: 'request it again' };
  }
  const input = parsed.data;
  return underConfig(() => {
    const instance = resolveInstance(config, input.serviceId, 'service');
    const target = input.targetId === undefined ? undefined : resolveInstance(config, input.targetId, 'target');
    if ((input.kind === 'side-by-side') !== (target !== undefined) || record.via === 'schedule') {
      return { code: 'RequestMismatch', message: `the recorded migration request '${record.recordName}' is malformed`, fix: 'request it again' };
    }
    const changed = target ?? instance;
    if (record.confirm !== changed.ref.name) {
      return {
        code: 'NotConfirmed',
        message: `the request did not confirm the name of '${changed.ref.name}'`,
        fix: 'request it again with confirm set to that name',
      };
    }
    return { approvalReason: migrationApprovalReason(config.approvals, input.kind, instance.ref.name) };
  });
}

/** An instance the config no longer names refuses the request, with the config's own message. */
function underConfig<T>(check: () => T): T | Problem {
  try {
    return check();
  } catch (err) {
    if (err instanceof UserError) return { code: err.code, message: err.message, fix: 'check the config, then request it again' };
    throw err;
  }
}
