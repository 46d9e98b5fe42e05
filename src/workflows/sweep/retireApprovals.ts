/**
 * Activity step: retire old approval records with the restore and migration records they gate (the sweep's), keeping
 * each one's audit in telemetry before it goes. Only records that read as apim-dr's approval records, under their own
 * name, are retired; a pending one still inside its deadline is kept, however old (domain/approvalRetention.ts).
 */
import { isPendingApproval, parseApprovalName } from '../../domain/approvalRetention';
import { planRecordRetirement } from '../../domain/recordRetention';
import type { Services } from '../../services';

export async function retireApprovals(services: Services, dryRun: boolean): Promise<string[]> {
  const { recordRetention, recordsKept } = services.config.defaults;
  const now = services.clock.now();
  const candidates = planRecordRetirement(await services.approvals.names(), now, { minAgeMs: recordRetention, keep: recordsKept }, parseApprovalName);
  const retired: string[] = [];
  for (const name of candidates) {
    // Unreadable, or not what its name says: not apim-dr's to judge, so not apim-dr's to delete.
    const record = (await services.approvals.read(name).catch(() => undefined))?.record;
    if (!record || record.recordName !== name || isPendingApproval(record, now)) continue;
    retired.push(name);
    if (dryRun) continue;
    services.logger.event('apim-dr.approval.record-retired', {
      recordName: name,
      operationId: record.operationId,
      kind: record.kind,
      via: record.via,
      requestedBy: record.requestedBy,
      requestedAt: record.requestedAt,
      state: record.state,
      approvedBy: record.approvedBy,
      approvedAt: record.approvedAt,
      breakGlass: record.breakGlass?.operator,
    });
    await services.approvals.remove(name);
  }
  return retired;
}
