/** `apim-dr describe <backup|record>`: a backup's manifest (inventory included, and what no backup carries) or a record, whole. */
import type { Command } from 'commander';
import type { Services } from '../../services';
import type { Described } from '../../workflows/records/describeEntry';
import { describeEntryModule, yamlModule } from '../lazy';
import type { CliContext } from '../context';
import { ExitCode, type Output } from '../output';
import type { AppClient } from '../remote/appClient';

export async function describeCommand(services: Services, name: string, out: Output): Promise<number> {
  return printDescribed(await describeEntryModule().describeEntry(services, name), out);
}

/** Remote: `GET /api/describe?name=`. */
export async function remoteDescribe(app: AppClient, name: string, out: Output): Promise<number> {
  return printDescribed((await app.get<Described>(`/api/describe?name=${encodeURIComponent(name)}`)).body, out);
}

function printDescribed(described: Described, out: Output): number {
  if (out.json) {
    out.data(described);
    return ExitCode.ok;
  }
  // Whole, as YAML reads best for a nested document; the table format has nothing to tabulate here.
  out.line(`${described.kind} ${described.name}`);
  out.line(
    yamlModule()
      .stringify(described.kind === 'backup' ? described.manifest : described.record)
      .trimEnd(),
  );
  if (described.kind === 'backup')
    out.line(`never in an APIM backup (set these up on a restored instance yourself):\n${described.notInBackup.map((n) => `  - ${n}`).join('\n')}`);
  return ExitCode.ok;
}

export function registerDescribe(program: Command, cli: CliContext): void {
  program
    .command('describe <name>')
    .description(
      "show a backup's manifest (with its inventory) or a restore or migration record, whole; names as 'apim-dr list' and 'apim-dr restores' print them",
    )
    .action((name: string) =>
      cli.dispatch(
        'describe',
        (app) => remoteDescribe(app, name, cli.output()),
        () => describeCommand(cli.services(), name, cli.output()),
      ),
    );
}
