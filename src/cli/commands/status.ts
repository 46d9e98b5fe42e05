/** `apim-dr status`: which instances are protected, at risk or unprotected, and why. */
import { secretsSkippedText } from '../../domain/snapshotStandbySync';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { formatDuration } from '../../domain/duration';
import type { Services } from '../../services';
import type { FleetStatus, InstanceStatus } from '../../workflows/status/fleetStatus';
import { fleetStatusModule } from '../lazy';
import { discoveryLines } from './statusDiscovery';
import { ExitCode, table, type Output } from '../output';
import type { AppClient } from '../remote/appClient';
import { heldName } from '../../domain/standbySync';

export async function statusCommand(services: Services, out: Output): Promise<number> {
  return printStatus(await fleetStatusModule().fleetStatus(services), out);
}

/** Remote: the same status, as the app sees it (`GET /api/status`). */
export async function remoteStatus(app: AppClient, out: Output): Promise<number> {
  return printStatus((await app.get<FleetStatus>('/api/status')).body, out);
}

function printStatus(status: FleetStatus, out: Output): number {
  if (out.json) {
    out.data(status);
    return ExitCode.ok;
  }
  out.line(`${status.summary.protected} protected, ${status.summary['at-risk']} at risk, ${status.summary.unprotected} unprotected`);
  for (const o of status.armUnreachable) out.line(`ARM unreachable since ${o.since} for subscription ${o.subscriptionId}: new backups there wait`);
  for (const line of discoveryLines(status.discovery)) out.line(line);
  if (status.onStv1) out.line(`${status.onStv1} instance(s) still on stv1: 'apim-dr migrate <service> --dry-run' says how to move each`);
  out.line(
    table(
      status.instances.map((i) => ({
        instance: i.service,
        via: i.origin === 'tag' ? (i.newlyFound ? 'tag (new)' : 'tag') : 'config',
        status: i.protection.toUpperCase(),
        newest: newest(i),
        expires: i.newestRestorable ? `in ${formatDuration(i.newestRestorable.expiresInMs)}` : '',
        rpo: formatDuration(i.rpoMs),
        platform: [i.platform ?? '?', migration(i.migration)].filter(Boolean).join(' '),
        standbys: i.standbys.map(standbyText).join(', '),
        drill: i.lastDrill
          ? `${i.lastDrill.state === 'succeeded' ? 'passed' : i.lastDrill.state}${i.lastDrill.rtoMs !== undefined && i.lastDrill.state === 'succeeded' ? ` ${formatDuration(i.lastDrill.rtoMs)}` : ''}`
          : '',
        why: [
          ...(i.restoring ? [`being overwritten: ${restoringText(i.restoring)}`] : []),
          ...i.reasons,
          ...(i.lastFailure ? [`${i.lastFailure.code}: ${i.lastFailure.message}`] : []),
          ...(i.scheduleWarning ? [i.scheduleWarning] : []),
        ].join('; '),
      })),
      ['instance', 'via', 'status', 'newest', 'expires', 'rpo', 'platform', 'standbys', 'drill', 'why'],
    ),
  );
  return ExitCode.ok;
}

/** The newest restorable backup; for an instance snapshots protect instead, its newest snapshot. */
function newest(i: InstanceStatus): string {
  if (i.newestRestorable) return `${formatDuration(i.newestRestorable.ageMs)} old`;
  if (i.snapshots?.newest) return `${formatDuration(i.snapshots.newest.ageMs)} old (snapshot)`;
  return 'none';
}

/** A standby's sync state; diverged names what it holds instead and since when. */
function standbyText(b: InstanceStatus['standbys'][number]): string {
  if (b.progress) return `${b.service} ${restoringText(b.progress)}`;
  if (b.state === 'behind' && b.lagMs !== undefined) return `${b.service} ${formatDuration(b.lagMs)} behind`;
  if (b.state === 'diverged' && b.holds)
    return `${b.service} DIVERGED: holds ${heldName(b.holds)} (${b.holds.purpose} from ${b.holds.source}${b.holds.since ? ` since ${b.holds.since.replace(/\.\d{3}Z$/, 'Z')}` : ''})`;
  const secrets = b.via === 'snapshot' ? secretsSkippedText(b.lastApply) : undefined;
  return `${b.service} ${b.state}${secrets ? `, ${secrets}` : ''}`;
}

/** A restore running into an instance: from where, its phase, a percent only where its history gives one, since when. */
function restoringText(r: NonNullable<InstanceStatus['restoring']>): string {
  const phase = r.phase ? `: ${r.phase}${r.percent !== undefined ? ` ${r.percent}%` : ''}` : '';
  const what = r.via === 'snapshot' ? `snapshot apply${r.snapshotName ? ` of ${r.snapshotName}` : ''}` : `restore${r.source ? ` from ${r.source}` : ''}`;
  return `${what} running${phase}${r.since ? ` since ${r.since.replace(/\.\d{3}Z$/, 'Z')}` : ''}`;
}

function migration(m: InstanceStatus['migration']): string {
  if (!m) return '';
  if (m.state === 'running') return `(migrating${m.phase ? `: ${m.phase}${m.percent !== undefined ? ` ${m.percent}%` : ''}` : ''})`;
  return `(migration ${m.state}${m.completedAt ? ` ${m.completedAt.slice(0, 10)}` : ''})`;
}

export function registerStatus(program: Command, cli: CliContext): void {
  program
    .command('status')
    .description('which instances are protected, at risk or unprotected, and why')
    .action(() =>
      cli.dispatch(
        'status',
        (app) => remoteStatus(app, cli.output()),
        () => statusCommand(cli.services(), cli.output()),
      ),
    );
}
