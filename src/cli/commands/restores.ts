/** `apim-dr restores [<target>]`: restore and migration records, newest first, each with the command that undoes it. */
import type { Command } from 'commander';
import { formatDuration } from '../../domain/duration';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import { DEFAULT_RECORD_LIMIT, type RecordSummary } from '../../workflows/records/listRecords';
import { listRecordsModule } from '../lazy';
import type { CliContext } from '../context';
import { ExitCode, table, type Output } from '../output';
import type { AppClient } from '../remote/appClient';

export async function restoresCommand(services: Services, target: string | undefined, limit: number, out: Output): Promise<number> {
  return printRecords(await listRecordsModule().listRecords(services, target, limit), target, out);
}

/** Remote: the same listing, as the app reads it (`GET /api/restores?target=&limit=`). */
export async function remoteRestores(app: AppClient, target: string | undefined, limit: number, out: Output): Promise<number> {
  const query = new URLSearchParams({ limit: String(limit), ...(target ? { target } : {}) });
  return printRecords((await app.get<{ records: RecordSummary[] }>(`/api/restores?${query.toString()}`)).body.records, target, out);
}

function printRecords(records: RecordSummary[], target: string | undefined, out: Output): number {
  if (out.json) {
    out.data(records);
    return ExitCode.ok;
  }
  if (records.length === 0) {
    out.line(target ? `no restore or migration records of ${target}` : 'no restore or migration records yet');
    return ExitCode.ok;
  }
  out.line(
    table(
      records.map((r) => ({
        record: r.recordName,
        what: r.kind === 'migration' ? `migration ${r.purpose}` : r.purpose,
        target: r.target,
        from: r.source,
        backup: r.backupName ?? '',
        who: r.requestedBy,
        when: r.requestedAt.replace(/\.\d{3}Z$/, 'Z'),
        verdict: r.state,
        rto: r.rtoMs === undefined ? '' : formatDuration(r.rtoMs),
      })),
      ['record', 'what', 'target', 'from', 'backup', 'who', 'when', 'verdict', 'rto'],
    ),
  );
  const undoable = records.filter((r) => r.rollback);
  if (undoable.length) out.line('\nto undo:');
  for (const r of undoable) out.line(`  ${r.recordName}: ${r.rollback}`);
  return ExitCode.ok;
}

export function registerRestores(program: Command, cli: CliContext): void {
  program
    .command('restores [target]')
    .description('restore and migration records, newest first: who, what, when, verdict, RTO, and the command that undoes each')
    .option('--limit <n>', 'how many records', String(DEFAULT_RECORD_LIMIT))
    .action((target: string | undefined, options: { limit: string }) => {
      const limit = Number(options.limit);
      return cli.dispatch(
        'restores',
        (app) => remoteRestores(app, target, checked(limit, options.limit), cli.output()),
        () => restoresCommand(cli.services(), target, checked(limit, options.limit), cli.output()),
      );
    });
}

function checked(limit: number, given: string): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UserError(`--limit '${given}' is not a number of records (1-500)`);
  return limit;
}
