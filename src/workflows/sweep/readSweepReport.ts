/** The full report of a sweep run (every list), read back from its parts in storage: for the CLI and tests. */
import type { Services } from '../../services';
import { appliedPartSchema, namesPartSchema, part, planPageSchema, protectionPartSchema, renewalsPartSchema } from './runParts';
import { PLAN_PAGE } from './planSweepRun';
import { logsPartSchema } from './retireOperationLogs';
import { stagingPartSchema } from './sweepStaging';
import type { SweepApplied, SweepReport, SweepSummary } from './types';

export async function readSweepReport(services: Services, summary: SweepSummary): Promise<SweepReport> {
  const store = services.sweepRuns;
  const { runId } = summary;
  const plan: SweepReport['plan'] = [];
  // As many pages as this run's plan had: an earlier, failed attempt of the planning step may have left more.
  for (let page = 0; page * PLAN_PAGE < summary.planned.entries; page++) {
    const stored = await store.readReport(runId, part.plan(page), planPageSchema);
    if (stored) plan.push(...stored.items);
  }
  const protection = (await store.readReport(runId, part.protection, protectionPartSchema))?.protection ?? [];
  const report: SweepReport = { at: summary.at, dryRun: summary.dryRun, plan, protection };
  if (summary.applied) {
    const applied: SweepApplied = { deleted: [], archived: [], marked: [], refused: [], foreign: [] };
    for (let page = 0; page < summary.workPages; page++) {
      // A page refused as not the planner's has no outcome: nothing on it was touched.
      const stored = await store.readReport(runId, part.applied(page), appliedPartSchema);
      if (!stored) continue;
      applied.deleted.push(...stored.deleted);
      applied.archived.push(...stored.archived);
      applied.marked.push(...stored.marked);
      applied.refused.push(...stored.refused);
      applied.foreign.push(...stored.foreign);
    }
    report.applied = applied;
  }
  if (summary.retiredRecords !== undefined) {
    report.retiredRecords = (await store.readReport(runId, part.records, namesPartSchema))?.names ?? [];
    report.retiredApprovals = (await store.readReport(runId, part.approvals, namesPartSchema))?.names ?? [];
  }
  // Counts only, in the summary itself: the findings blobs go with the records listed above.
  if (summary.applyFindings) report.applyFindings = summary.applyFindings;
  if (summary.legacyIndex) report.legacyIndex = summary.legacyIndex;
  if (summary.logs) report.logs = await store.readReport(runId, part.logs, logsPartSchema);
  if (summary.staging) report.staging = await store.readReport(runId, part.staging, stagingPartSchema);
  if (summary.renewals) report.renewals = await store.readReport(runId, part.renewals, renewalsPartSchema);
  return report;
}
