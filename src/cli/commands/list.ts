/** `apim-dr list [<service>]`: the catalog, newest first, with expiry and time left. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { resolveService } from '../../config/resolveService';
import { formatDuration } from '../../domain/duration';
import type { Services } from '../../services';
import type { CatalogEntry } from '../../azure/catalog';
import { ExitCode, table, type Output } from '../output';
import type { AppClient } from '../remote/appClient';

type Listed = CatalogEntry & { timeLeftMs?: number };

export async function listCommand(services: Services, service: string | undefined, out: Output): Promise<number> {
  const name = service ? resolveService(services.config, service, '<service>').ref.name : undefined;
  const now = services.clock.now().getTime();
  const entries = (await services.catalog.list(name)).map((e) => ({ ...e, timeLeftMs: e.expiresAt ? Math.max(0, Date.parse(e.expiresAt) - now) : undefined }));
  return printList(entries, name, out);
}

/** Remote: the catalog as the app lists it (`GET /api/backups?service=`). */
export async function remoteList(app: AppClient, service: string | undefined, out: Output): Promise<number> {
  const query = service ? `?service=${encodeURIComponent(service)}` : '';
  return printList((await app.get<{ backups: Listed[] }>(`/api/backups${query}`)).body.backups, service, out);
}

function printList(entries: Listed[], name: string | undefined, out: Output): number {
  if (out.json) {
    out.data(entries);
    return ExitCode.ok;
  }
  if (entries.length === 0) {
    out.line(name ? `no backups of ${name} yet` : 'no backups yet');
    return ExitCode.ok;
  }
  out.line(
    table(
      entries.map((e) => ({
        backup: e.backupName,
        state: e.state,
        created: e.createdAt.replace(/\.\d{3}Z$/, 'Z'),
        expires: e.expiresAt.replace(/\.\d{3}Z$/, 'Z'),
        left: e.timeLeftMs === undefined ? '' : e.timeLeftMs === 0 ? 'expired' : formatDuration(e.timeLeftMs),
      })),
      ['backup', 'state', 'created', 'expires', 'left'],
    ),
  );
  return ExitCode.ok;
}

export function registerList(program: Command, cli: CliContext): void {
  program
    .command('list [service]')
    .description('list catalogued backups, newest first, with expiry and time left')
    .action((service: string | undefined) =>
      cli.dispatch(
        'list',
        (app) => remoteList(app, service, cli.output()),
        () => listCommand(cli.services(), service, cli.output()),
      ),
    );
}
