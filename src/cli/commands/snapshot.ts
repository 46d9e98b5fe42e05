/** `apim-dr snapshot create|list|show`: configuration snapshots, taken in this process. (`apply` is in snapshotApply.ts.) */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from '../context';
import type { Services } from '../../services';
import { takeSnapshotModule } from '../lazy';
import { ExitCode, table, type Output } from '../output';
import { cliRequester } from '../requestedBy';
import { registerSnapshotApply } from './snapshotApply';
import { fieldsOf, isSuppliable, secretPath } from '../../domain/snapshot/secretFields';

export async function snapshotCreateCommand(services: Services, service: string, out: Output): Promise<number> {
  const ref = takeSnapshotModule().configuredInstance(services, service, '<service>');
  out.progress(`reading the configuration of ${ref.name}…`);
  const manifest = await takeSnapshotModule().snapshotOf(services, ref, 'manual', cliRequester(), undefined, randomUUID());
  out.progress('');
  if (out.json) {
    out.data(manifest);
    return ExitCode.ok;
  }
  out.line(manifest.snapshotName);
  out.line(`${manifest.resourceCount} resources, ${manifest.blobSize} bytes gzip, ${manifest.armRequests} ARM requests`);
  if (manifest.notCaptured.length) out.line(`${manifest.notCaptured.length} secrets not captured: 'apim-dr snapshot show ${manifest.snapshotName}' lists them`);
  return ExitCode.ok;
}

export async function snapshotListCommand(services: Services, service: string | undefined, out: Output): Promise<number> {
  const name = service ? takeSnapshotModule().configuredInstance(services, service, '<service>').name : undefined;
  const entries = await services.snapshots.list(name);
  if (out.json) {
    out.data(entries);
    return ExitCode.ok;
  }
  if (entries.length === 0) {
    out.line(name ? `no snapshots of ${name} yet` : 'no snapshots yet');
    return ExitCode.ok;
  }
  out.line(
    table(
      entries.map((e) => ({ snapshot: e.snapshotName, taken: e.takenAt.replace(/\.\d{3}Z$/, 'Z'), size: String(e.size ?? '') })),
      ['snapshot', 'taken', 'size'],
    ),
  );
  return ExitCode.ok;
}

export async function snapshotShowCommand(services: Services, snapshot: string, out: Output): Promise<number> {
  const manifest = await services.snapshots.readManifest(snapshot);
  if (out.json) {
    out.data({ ...manifest, summary: takeSnapshotModule().summarize(manifest) });
    return ExitCode.ok;
  }
  out.line(`${manifest.snapshotName}: ${manifest.service.name} (${manifest.service.sku.name}), taken ${manifest.takenAt} by ${manifest.requestedBy}`);
  out.line(`API version ${manifest.apiVersion}, ${manifest.resourceCount} resources, ${manifest.contentHash}`);
  out.line(
    table(
      Object.entries(manifest.counts).map(([type, count]) => ({ type, count: String(count) })),
      ['type', 'count'],
    ),
  );
  if (manifest.unreadable.length) {
    out.line('\nnot read:');
    out.line(
      table(
        manifest.unreadable.map((u) => ({ type: u.type, code: u.code, message: u.message })),
        ['type', 'code', 'message'],
      ),
    );
  }
  if (manifest.notCaptured.length) {
    out.line('\nnot captured:');
    out.line(
      table(
        manifest.notCaptured.map((n) => ({
          resource: n.path,
          what: n.what,
          reason: n.reason,
          fix: n.fix,
          // The exact name `apply --set` takes for each field, where one can be supplied.
          'apply --set': fieldsOf(n)
            .filter((f) => isSuppliable(n.path, f))
            .map((f) => secretPath(n.path, f))
            .join(' '),
        })),
        ['resource', 'what', 'reason', 'fix', 'apply --set'],
      ),
    );
  }
  return ExitCode.ok;
}

export function registerSnapshot(program: Command, cli: CliContext): void {
  const snapshot = program.command('snapshot').description('configuration snapshots: any tier (v2 included), kept past 30 days, applied whole or in part');
  snapshot
    .command('create <service>')
    .description('read the configuration of an instance through ARM and store it as a snapshot (no secret in clear)')
    .action((service: string) => cli.run(() => snapshotCreateCommand(cli.services(), service, cli.output())));
  snapshot
    .command('list [service]')
    .description('list snapshots, newest first')
    .action((service: string | undefined) => cli.run(() => snapshotListCommand(cli.services(), service, cli.output())));
  snapshot
    .command('show <snapshot>')
    .description('inventory of a snapshot and what it did not capture')
    .action((name: string) => cli.run(() => snapshotShowCommand(cli.services(), name, cli.output())));
  registerSnapshotApply(snapshot, cli);
}
