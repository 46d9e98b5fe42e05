/** `apim-dr status`: which instances are protected, at risk or unprotected, and why. */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatDuration } from '../../domain/duration';
import type { Services } from '../../services';
import { fleetStatus } from '../../workflows/status/fleetStatus';
import { ExitCode, table, type Output } from '../output';

export async function statusCommand(services: Services, out: Output): Promise<number> {
  const status = await fleetStatus(services);
  if (out.json) {
    out.data(status);
    return ExitCode.ok;
  }
  out.line(`${status.summary.protected} protected, ${status.summary['at-risk']} at risk, ${status.summary.unprotected} unprotected`);
  out.line(
    table(
      status.instances.map((i) => ({
        instance: i.service,
        status: i.protection.toUpperCase(),
        newest: i.newestRestorable ? `${formatDuration(i.newestRestorable.ageMs)} old` : 'none',
        expires: i.newestRestorable ? `in ${formatDuration(i.newestRestorable.expiresInMs)}` : '',
        rpo: formatDuration(i.rpoMs),
        standbys: i.standbys
          .map((b) => `${b.service} ${b.state === 'behind' && b.lagMs !== undefined ? `${formatDuration(b.lagMs)} behind` : b.state}`)
          .join(', '),
        drill: i.lastDrill
          ? `${i.lastDrill.state === 'succeeded' ? 'passed' : i.lastDrill.state}${i.lastDrill.rtoMs !== undefined && i.lastDrill.state === 'succeeded' ? ` ${formatDuration(i.lastDrill.rtoMs)}` : ''}`
          : '',
        why: [...i.reasons, ...(i.lastFailure ? [`${i.lastFailure.code}: ${i.lastFailure.message}`] : [])].join('; '),
      })),
      ['instance', 'status', 'newest', 'expires', 'rpo', 'standbys', 'drill', 'why'],
    ),
  );
  return ExitCode.ok;
}

export function registerStatus(program: Command, cli: CliContext): void {
  program
    .command('status')
    .description('which instances are protected, at risk or unprotected, and why')
    .action(() => cli.run(() => statusCommand(cli.services(), cli.output())));
}
