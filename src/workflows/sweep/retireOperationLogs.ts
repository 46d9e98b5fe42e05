/**
 * The daily sweep's step for operation logs (`apim-dr logs`): one paged walk of `logs/`, an operation at a time, that
 * retires the events of every operation older than the records retention that no kept record names
 * (domain/operationLogRetention.ts). Runs after the records' retirement, so a record retired today frees its log
 * today. Memory holds one operation's blob names and one batch of deletes, whatever the number of logs kept.
 */
import { snapshotApplyLog } from '../../azure/snapshot/applyLog';
import { z } from 'zod';
import { batchDelete, BATCH_SIZE } from '../../azure/batchDelete';
import { OPERATION_LOGS_PREFIX } from '../../azure/stateLayout';
import { storageError } from '../../azure/storageErrors';
import { parseApprovalName } from '../../domain/approvalRetention';
import { decideLogRetirement, OPERATION_LOG_MARK, parseEventBlobName, RECORD_CLOCK_SLACK_MS, type EventBlob } from '../../domain/operationLogRetention';
import { parseRecordName } from '../../domain/recordRetention';
import type { Services } from '../../services';
import { operationEventSchema } from '../../telemetry/operationEvents';
import { mapAtMost } from '../../azure/mapAtMost';

/** A listing page: the most storage returns in one. */
const PAGE = 5_000;

export const logsPartSchema = z.object({
  /** Operations whose events were retired (or, in a dry run, would be), and how many event blobs that was. */
  operations: z.number().int().nonnegative(),
  blobs: z.number().int().nonnegative(),
  /** Event blobs storage refused to delete: tried again at the next sweep. */
  failed: z.number().int().nonnegative(),
  /** Old operations kept because a record still names them. */
  named: z.number().int().nonnegative(),
  /** Blobs under `logs/` that are not apim-dr's events (a name or content it never writes): left alone. */
  foreign: z.number().int().nonnegative(),
  /** A few of the foreign names, for whoever looks. */
  foreignExamples: z.array(z.string()),
});
export type LogsReport = z.output<typeof logsPartSchema>;

export async function retireOperationLogs(services: Services, dryRun: boolean): Promise<LogsReport> {
  const now = services.clock.now();
  const retentionMs = services.config.defaults.recordRetention;
  const named = await correlationIdsOfOldRecords(services, now.getTime() - retentionMs + RECORD_CLOCK_SLACK_MS);
  const store = services.operationEvents.store;
  const report: LogsReport = { operations: 0, blobs: 0, failed: 0, named: 0, foreign: 0, foreignExamples: [] };
  const foreign = (name: string) => {
    report.foreign += 1;
    if (report.foreignExamples.length < 5) report.foreignExamples.push(name);
  };
  const doomed: string[] = [];
  const flush = async (all: boolean) => {
    while (doomed.length >= (all ? 1 : BATCH_SIZE)) {
      const chunk = doomed.splice(0, BATCH_SIZE);
      if (dryRun) continue;
      // One already gone counts as deleted; any other refusal leaves the blob for the next sweep.
      report.failed += (await batchDelete(store.container, chunk)).filter((r) => !r.ok && r.status !== 404).length;
    }
  };
  // Whether an event written before the mark existed is one of apim-dr's: it reads as this operation's event.
  const ownsUnmarked = async (name: string, correlationId: string) => {
    const event = await store.read(name, operationEventSchema, { what: 'apim-dr operation event', code: 'InvalidOperationEvent' }).catch(() => undefined);
    return event?.value.correlationId === correlationId && event.value.event.startsWith('apim-dr.');
  };
  const settle = async (correlationId: string, blobs: EventBlob[]) => {
    const decision = decideLogRetirement(correlationId, blobs, now, retentionMs, named);
    if (decision.action === 'keep') {
      if (decision.reason === 'named') report.named += 1;
      return;
    }
    const owned = await mapAtMost(decision.unmarked, 8, async (name) => ((await ownsUnmarked(name, correlationId)) ? name : (foreign(name), undefined)));
    const gone = [...decision.marked, ...owned.flatMap((n) => (n ? [n] : []))];
    if (gone.length === 0) return;
    report.operations += 1;
    report.blobs += gone.length;
    doomed.push(...gone);
    await flush(false);
  };

  let current: { correlationId: string; blobs: EventBlob[] } | undefined;
  try {
    const pages = store.container.listBlobsFlat({ prefix: OPERATION_LOGS_PREFIX, includeMetadata: true }).byPage({ maxPageSize: PAGE });
    for await (const page of pages) {
      for (const blob of page.segment.blobItems) {
        const parsed = parseEventBlobName(blob.name);
        if (!parsed) {
          foreign(blob.name);
          continue;
        }
        // A listing is in name order: an operation's events come together, and once another's start, it is whole.
        if (current && current.correlationId !== parsed.correlationId) await settle(current.correlationId, current.blobs);
        if (current?.correlationId !== parsed.correlationId) current = { correlationId: parsed.correlationId, blobs: [] };
        current.blobs.push({ name: blob.name, at: parsed.at, marked: blob.metadata?.[OPERATION_LOG_MARK.name] === OPERATION_LOG_MARK.value });
      }
    }
  } catch (err) {
    throw storageError(err, `list '${OPERATION_LOGS_PREFIX}'`);
  }
  if (current) await settle(current.correlationId, current.blobs);
  await flush(true);
  if (report.operations || report.foreign)
    services.logger.event('apim-dr.sweep.logs', {
      dryRun,
      retiredOperations: report.operations,
      retiredBlobs: report.blobs,
      kept: report.named,
      foreign: report.foreign,
    });
  return report;
}

/**
 * The correlation IDs named by the restore, migration and approval records still kept that are as old as the oldest
 * log that could go (older than `before`): only those kept past the retention as their target's newest, and a slack's
 * worth more. Younger records are never read: the logs they name are younger still.
 */
async function correlationIdsOfOldRecords(services: Services, before: number): Promise<Set<string>> {
  const old = (names: string[], parse: (name: string) => { at: Date } | undefined) => names.filter((n) => (parse(n)?.at.getTime() ?? Infinity) < before);
  const applyLog = snapshotApplyLog(services.snapshots.container);
  const [restores, migrations, approvals, applies] = await Promise.all([
    services.restores.names(),
    services.migrations.names(),
    services.approvals.names(),
    applyLog.names(),
  ]);
  const ids = await Promise.all([
    // A kept snapshot apply record keeps its events (and its pre-apply snapshot's, under the same ID) as a restore's does.
    mapAtMost(old(applies, parseRecordName), 16, async (n) => (await applyLog.read(n).catch(() => undefined))?.record.correlationId),
    mapAtMost(old(restores, parseRecordName), 16, async (n) => (await services.restores.read(n).catch(() => undefined))?.record.correlationId),
    mapAtMost(old(migrations, parseRecordName), 16, async (n) => (await services.migrations.read(n).catch(() => undefined))?.record.correlationId),
    mapAtMost(old(approvals, parseApprovalName), 16, async (n) => {
      const id = (await services.approvals.read(n).catch(() => undefined))?.record.input['correlationId'];
      return typeof id === 'string' ? id : undefined;
    }),
  ]);
  return new Set(ids.flat().flatMap((id) => (id ? [id] : [])));
}
