/** `apim-dr logs <operation>`: an operation's events, whichever process ran it (the app, or a CLI in process). */
import type { Command } from 'commander';
import type { Services } from '../../services';
import type { OperationLog } from '../../workflows/records/operationLog';
import { operationLogModule } from '../lazy';
import type { CliContext } from '../context';
import { ExitCode, table, type Output } from '../output';
import type { AppClient } from '../remote/appClient';

export async function logsCommand(services: Services, name: string, out: Output): Promise<number> {
  return printLog(await operationLogModule().operationLog(services, name), out);
}

/** Remote: `GET /api/operations/{id}/logs`; a record goes without its folder, which a path segment cannot carry. */
export async function remoteLogs(app: AppClient, name: string, out: Output): Promise<number> {
  const id = name.trim().replace(/^(restores|migrations|snapshot-applies)\//, '');
  return printLog((await app.get<OperationLog>(`/api/operations/${encodeURIComponent(id)}/logs`)).body, out);
}

/** Properties every event of an operation repeats: shown once, in the heading, not on every line. */
const SHARED = new Set(['time', 'level', 'event', 'message', 'correlationId', 'app', 'via']);

function printLog(log: OperationLog, out: Output): number {
  if (out.json) {
    out.data(log);
    return ExitCode.ok;
  }
  out.line(`${log.kind} ${log.operation} (${log.state}), correlation ID ${log.correlationId}`);
  if (log.events.length === 0) {
    out.line('no events kept for it (operations that ran before apim-dr kept their events have none)');
    return ExitCode.ok;
  }
  out.line(
    table(
      log.events.map((e) => ({
        time: e.time.replace(/\.\d{3}Z$/, 'Z'),
        level: e.level,
        event: e.event.replace(/^apim-dr\./, ''),
        details: Object.entries(e)
          .filter(([key, value]) => !SHARED.has(key) && value !== undefined)
          .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
          .join(' '),
      })),
      ['time', 'level', 'event', 'details'],
    ),
  );
  return ExitCode.ok;
}

export function registerLogs(program: Command, cli: CliContext): void {
  program
    .command('logs <operation>')
    .description(
      "an operation's events, wherever it ran: its operation ID (its newest run), its backup, its restore, migration or snapshot apply record ('apim-dr restores' lists them; folder optional), or a snapshot's name",
    )
    .action((name: string) =>
      cli.dispatch(
        'logs',
        (app) => remoteLogs(app, name, cli.output()),
        () => logsCommand(cli.services(), name, cli.output()),
      ),
    );
}
