/**
 * `apim-dr snapshot apply <snapshot> --to <instance> [--only <type>/<name>]... [--mirror] [--in-place] [--dry-run] [--yes]`:
 * the dry run, then (unless --dry-run) a snapshot of the target, the writes, the verification — in this process, so it
 * works when the Functions app is down. Exit 3 when the dry run says not restorable.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { UserError } from '../../errors';
import type { Services } from '../../services';
import type { ApplyCheck, ApplyRequest } from '../../workflows/snapshot/applySnapshot';
import { applySnapshotModule, takeSnapshotModule } from '../lazy';
import { parseOverride, parseSecretSupply } from '../../workflows/snapshot/applySupplies';
import { ExitCode, type Output } from '../output';
import { cliRequester } from '../requestedBy';
import type { AppClient } from '../remote/appClient';
import { followOperation, throwOperationError, type Accepted } from '../remote/followOperation';
import { printAccepted } from './backup';
import { askForName } from './restore';

export interface SnapshotApplyOptions {
  to: string;
  only?: string[];
  mirror?: boolean;
  inPlace?: boolean;
  dryRun?: boolean;
  /** Every finding and skipped path, not the first of each kind. */
  all?: boolean;
  yes?: boolean;
  set?: string[];
  override?: string[];
}

export async function snapshotApplyCommand(
  services: Services,
  snapshot: string,
  options: SnapshotApplyOptions,
  out: Output,
  input: NodeJS.ReadStream = process.stdin,
): Promise<number> {
  const request: ApplyRequest = {
    snapshotName: snapshot,
    target: options.to,
    only: options.only,
    mirror: options.mirror,
    allowInPlace: options.inPlace,
    requestedBy: cliRequester(),
    correlationId: randomUUID(),
    ...(options.set?.length ? { set: options.set.map(parseSecretSupply) } : {}),
    ...(options.override?.length ? { overrides: options.override.map(parseOverride) } : {}),
  };
  const requestedAt = services.clock.now().toISOString();
  const check = await applySnapshotModule().checkSnapshotApply(services, request, { all: options.all });
  if (options.dryRun || out.json === false) printCheck(check, out, !!options.all);
  if (options.dryRun) {
    if (out.json) out.data(check);
    return check.verdict === 'Not restorable' ? ExitCode.refused : ExitCode.ok;
  }
  if (check.verdict === 'Not restorable') {
    if (out.json) out.data(check);
    out.error(`not applied: '${snapshot}' is not restorable into '${check.target}'`);
    return ExitCode.refused;
  }
  if (!options.yes) {
    const answer = await askForName(
      input,
      `refusing to apply to '${check.target}' without --yes when no one can confirm at a terminal`,
      `This changes the configuration of '${check.target}'. Type its name to go on: `,
    );
    if (answer !== check.target) throw new UserError(`'${answer}' is not '${check.target}': nothing applied`, 'refused', 'NotConfirmed');
  }
  out.progress(`snapshot of ${check.target} first…`);
  const before = await takeSnapshotModule().snapshotOf(
    services,
    { ...parseTarget(check) },
    'pre-apply',
    request.requestedBy,
    applySnapshotModule().preApplyScope(request),
    request.correlationId,
  );
  out.progress(`applying to ${check.target}…`);
  const record = await applySnapshotModule().applySnapshot(services, { ...request, preApplySnapshot: before.snapshotName, requestedAt });
  out.progress('');
  if (out.json) {
    out.data(record);
  } else {
    out.line(
      `${record.state}: ${record.counts.create} created, ${record.counts.change} changed, ${record.counts.delete} deleted, ${record.counts.unchanged} unchanged`,
    );
    out.line(
      `verified ${record.verification?.checked ?? 0} resources, ${(record.verification?.mismatched.length ?? 0) + (record.verification?.mismatchedOmitted ?? 0)} differ; RTO ${Math.round(record.rtoMs / 1000)} s`,
    );
    out.line(`way back: apim-dr snapshot apply ${before.snapshotName} --to ${check.target} --mirror${check.target === check.targetId ? '' : ' --in-place'}`);
    if (record.supplied?.length) out.line(`secrets supplied (values not shown): ${record.supplied.join(', ')}`);
    for (const o of record.overrides ?? []) out.line(`override: ${o.path}.${o.field} = ${o.value}`);
    for (const f of record.failed) out.line(`  failed ${f.path}: ${f.code}: ${f.message}`);
    if (record.failedOmitted || record.verification?.mismatchedOmitted || record.verification?.stillPresentOmitted)
      out.line(`  the first of each kind shown; every one: ${record.findingsBlob} in the state container`);
  }
  return record.state === 'failed' ? ExitCode.failed : ExitCode.ok;
}

/**
 * Remote: the app's dry run (`POST /api/snapshots/apply/check`), as DR.Reader. A small `--only` scope is answered at
 * once; a whole target is read by an orchestration (202), followed to its end, and printed as the same answer.
 * Undefined (run in this process) for what the HTTP API does not take: `--all`, and `--set` (an env variable or a file
 * here, not an app setting there).
 */
export function remoteSnapshotCheck(
  snapshot: string,
  options: SnapshotApplyOptions,
  wait: boolean,
  out: Output,
): ((app: AppClient) => Promise<number>) | undefined {
  if (options.all || options.set?.length) return undefined;
  return async (app) => {
    const body = {
      snapshot,
      target: options.to,
      ...(options.only?.length ? { only: options.only } : {}),
      ...(options.mirror ? { mirror: true } : {}),
      ...(options.inPlace ? { allowInPlace: true } : {}),
      ...(options.override?.length ? { overrides: options.override.map(parseOverride) } : {}),
    };
    const answer = await app.post<ApplyCheck | (Accepted & { target: string; started: boolean })>('/api/snapshots/apply/check', body);
    let check: ApplyCheck;
    if (answer.status === 202) {
      const accepted = answer.body as Accepted & { target: string };
      if (!wait) return printAccepted(accepted, `dry run of ${snapshot} against ${accepted.target} started`, out);
      const done = await followOperation(app, accepted, `checking ${snapshot} against ${accepted.target}`, out);
      // Refused while planning (a secret or override the snapshot does not expect): the exit code and message of in process.
      throwOperationError(done);
      if (done.runtimeStatus !== 'Completed' || !done.output) {
        out.error(`the dry run against ${accepted.target} did not finish (${done.runtimeStatus}): ${String(done.output)}`);
        return ExitCode.failed;
      }
      check = done.output as ApplyCheck;
    } else check = answer.body as ApplyCheck;
    printCheck(check, out, false);
    if (out.json) out.data(check);
    return check.verdict === 'Not restorable' ? ExitCode.refused : ExitCode.ok;
  };
}

function parseTarget(check: ApplyCheck) {
  const [, subscriptionId, resourceGroup, name] =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ApiManagement\/service\/([^/]+)$/i.exec(check.targetId)!;
  return { id: check.targetId, subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, name: name! };
}

/** The dry run for a reader: alike findings once per group with their count, fix and first resources (every one with `all`). */
export function printCheck(check: ApplyCheck, out: Output, all: boolean): void {
  out.line(`${check.verdict}: ${check.snapshotName} → ${check.target} (${check.targetTier})`);
  const c = check.counts;
  out.line(`  ${c.create} to create, ${c.change} to change, ${c.delete} to delete, ${c.unchanged} unchanged, ${c.skipped} skipped`);
  const line = (f: ApplyCheck['findings'][number]) => out.line(`  ${f.severity.padEnd(8)} ${f.code}: ${f.message}\n           fix: ${f.fix}`);
  if (all) {
    for (const f of check.findings) line(f);
    return;
  }
  // A group of alike findings once, with its count, its fix and its first resources; a lone finding as it is.
  for (const g of check.findingGroups) {
    const lone = g.count === 1 && check.findings.find((f) => f.code === g.code && f.severity === g.severity && (f.resource ?? '') === (g.examples[0] ?? ''));
    if (lone) {
      line(lone);
      continue;
    }
    const more = g.count > g.examples.length ? `, and ${g.count - g.examples.length} more` : '';
    out.line(`  ${g.severity.padEnd(8)} ${g.code} × ${g.count}: ${g.examples.join(', ')}${more}\n           fix: ${g.fix}`);
  }
  if (check.findingsOmitted || check.skippedOmitted) out.line(`  every finding and skipped path: add --all (with --json, as data)`);
}

export function registerSnapshotApply(snapshot: Command, cli: CliContext): void {
  snapshot
    .command('apply <snapshot>')
    .description('apply a snapshot to its own instance or a configured standby: the dry run, a snapshot of the target, the writes, the verification')
    .requiredOption('--to <instance>', "the snapshot's instance or one of its standbys")
    .option('--only <type/name>', "apply only this resource and what it needs (repeatable), e.g. 'apis/orders', 'workspaces/team/apis/orders'", repeatable)
    .option(
      '--set <secret=env:VAR|file:PATH>',
      "a secret the snapshot lacks, read from an environment variable or a file (repeatable; never the value itself): '[workspaces/<w>/]namedValues/<name>' or '<type>/<name>.<field>' as 'snapshot show' lists it, e.g. 'backends/orders.credentials.header.x-api-key', 'identityProviders/aad.clientSecret', 'certificates/client.data' (a .pfx file)",
      repeatable,
    )
    .option(
      '--override <type/name.field=value>',
      "an environment value for the target, e.g. 'backends/orders.url=https://orders.neu.example' (repeatable)",
      repeatable,
    )
    .option('--mirror', 'also delete what the snapshot lacks')
    .option('--in-place', 'consent to --mirror into the snapshot’s own instance')
    .option('--dry-run', 'only say what would happen: Fully, Partially or Not restorable (exit 3)')
    .option('--all', 'show every finding and skipped path, not the first of each kind (with --json: all of them as data)')
    .option('--yes', 'do not ask for the target’s name')
    .action((name: string, options: SnapshotApplyOptions) => {
      const local = () => snapshotApplyCommand(cli.services(), name, options, cli.output());
      // The dry run is the app's to answer where there is an app; the apply itself runs in this process.
      if (options.dryRun) return cli.dispatch('snapshot apply --dry-run', remoteSnapshotCheck(name, options, cli.wait(), cli.output()), local);
      return cli.run(local);
    });
}

const repeatable = (value: string, previous: string[] = []) => [...previous, value];
