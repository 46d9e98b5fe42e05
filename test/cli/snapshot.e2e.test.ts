import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeResource, seedResource } from '../../dev/sandbox/configApi';
import { startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import { seedFullConfiguration } from '../support/configSeed';
import { V2, V2_SERVICES, V2_STANDBY, v2Config, v2SnapshotConfig } from '../support/v2Fleet';
import { cli } from './runCli';

describe('apim-dr snapshot (the compiled bin)', () => {
  let sandbox: RunningSandbox;
  let config: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sandbox = await startSandbox({ services: V2_SERVICES });
    seedFullConfiguration(sandbox.apim.service(V2), { apis: 2, operations: 2 });
    config = join(mkdtempSync(join(tmpdir(), 'apim-dr-snapshot-')), 'apim-dr.json');
    writeFileSync(config, JSON.stringify(v2Config(sandbox)));
    env = { ...sandbox.settings };
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('creates, lists and shows a snapshot of a Standard v2 instance, then brings a deleted API back with --only', async () => {
    const created = await cli(['snapshot', 'create', V2, '--config', config], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const name = created.stdout.split('\n')[0]!;
    expect(name).toMatch(/^contoso-apim-v2-weu\.\d{8}T\d{6}Z\.manual$/);

    const list = await cli(['snapshot', 'list', V2, '--config', config, '--json'], env);
    expect(JSON.parse(list.stdout).map((e: { snapshotName: string }) => e.snapshotName)).toEqual([name]);
    // Where snapshots are its protection, status shows the newest one where a backup would be.
    const protectedBySnapshots = join(mkdtempSync(join(tmpdir(), 'apim-dr-snapshot-')), 'apim-dr.json');
    writeFileSync(protectedBySnapshots, JSON.stringify(v2SnapshotConfig(sandbox)));
    const status = await cli(['status', '--config', protectedBySnapshots], env);
    expect(status.stdout).toMatch(new RegExp(`${V2} +config +PROTECTED +\\d+s old \\(snapshot\\)`));
    const show = await cli(['snapshot', 'show', name, '--config', config], env);
    expect(show.stdout).toContain('namedValues/orders-key');
    expect(show.stdout).toContain('move it to Key Vault or supply it at apply');
    // Each secret that can be supplied at apply, by the exact name --set takes.
    expect(show.stdout).toContain('backends/orders-backend.credentials.header.x-api-key');
    expect(show.stdout).toContain('identityProviders/aad.clientSecret');

    removeResource(sandbox.apim.service(V2), 'apis/api-1');
    const dryRun = await cli(['snapshot', 'apply', name, '--to', V2, '--only', 'apis/api-1', '--dry-run', '--config', config], env);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/^Fully restorable: .* → contoso-apim-v2-weu \(StandardV2\)/);
    expect(Object.keys(sandbox.apim.service(V2).configuration.resources ?? {}).some((k) => k.startsWith('apis/api-1'))).toBe(false);

    const applied = await cli(['snapshot', 'apply', name, '--to', V2, '--only', 'apis/api-1', '--yes', '--config', config, '--json'], env);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ state: 'succeeded', counts: { create: 10 }, verification: { mismatched: [] } });
    expect(sandbox.apim.service(V2).configuration.apis).toContain('api-1');
  });

  it('exits 3 when the dry run says not restorable, and refuses without --yes off a terminal', async () => {
    const premium = sandbox.apim.service('contoso-apim-weu');
    for (let i = 0; i < 101; i++) seedResource(premium, `tags/t${i}`, { displayName: `t${i}` });
    const name = (await cli(['snapshot', 'create', 'contoso-apim-weu', '--config', config], env)).stdout.split('\n')[0]!;
    const dryRun = await cli(['snapshot', 'apply', name, '--to', V2_STANDBY, '--dry-run', '--config', config], env);
    expect(dryRun.code).toBe(3);
    expect(dryRun.stdout).toContain('TierLimit: StandardV2 allows 100 tags');
    const noYes = await cli(['snapshot', 'apply', name, '--to', 'contoso-apim-neu', '--config', config], env);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain("refusing to apply to 'contoso-apim-neu' without --yes");
  });

  it('refuses a native backup of the v2 instance before any ARM call, pointing to snapshots', async () => {
    const reads = sandbox.apim.requests.length;
    const backup = await cli(['backup', V2, '--config', config], env);
    expect(backup.code).toBe(3);
    expect(backup.stderr).toContain(`apim-dr snapshot create ${V2}`);
    expect(sandbox.apim.requests.length).toBe(reads);
  });
});
