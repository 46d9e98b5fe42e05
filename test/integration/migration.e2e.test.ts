/**
 * Migration off stv1 on the local host and the sandbox: the dry run over HTTP, in place end to end (pre-migration
 * backup first, one migrateToStv2 POST even when every activity runs twice, verification, a first stv2 backup, the
 * record), a failed migration, refusals before any ARM call, side by side, and the way back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { migrationRecordName } from '../../src/domain/migrationRecord';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SAMPLE_SERVICES, SANDBOX_SUBSCRIPTION, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import type { SandboxServiceSpec } from '../../dev/sandbox/model';
import { migrationRollbackAsk } from '../../src/workflows/migrate/migrationRollback';
import type { MigrationSummary } from '../../src/workflows/migrate/types';
import { backupNow, runToCompletion, startHarness as startTestHarness, sweepNow, type Harness, type HarnessOptions } from '../support/harness';

/** Migrations themselves, without the second person an in-place one waits for by default (test/security/approvals.test.ts). */
const startHarness = (options: HarnessOptions = {}) =>
  startTestHarness({ ...options, config: (s) => ({ ...(options.config?.(s) ?? s.config()), approvals: { inPlace: false } }) });

const DEV = 'contoso-apim-dev';
const MINUTE = 60_000;

/** A Developer stv2 instance to receive side-by-side migrations and the way back. */
const NEW_DEV: SandboxServiceSpec = {
  subscriptionId: SANDBOX_SUBSCRIPTION,
  resourceGroup: 'rg-apim-dev2',
  name: 'contoso-apim-dev2',
  location: 'West Europe',
  sku: { name: 'Developer', capacity: 1 },
  configuration: { apis: [], products: [], namedValues: [] },
};

/** The sample fleet plus NEW_DEV as the configured standby of the stv1 Developer instance. */
function withStandby(sandbox: RunningSandbox): Record<string, unknown> {
  const services = SAMPLE_SERVICES.map((s) => ({
    id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name),
    ...(s.name === DEV ? { standbys: [{ id: canonicalServiceId(NEW_DEV.subscriptionId, NEW_DEV.resourceGroup, NEW_DEV.name), sync: 'manual' }] } : {}),
  }));
  return sandbox.config({ services });
}

describe('migration off stv1', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const migrate = async (body: Record<string, unknown>) => {
    const response = await h.api('POST', '/api/migrations', body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const instance = await runToCompletion(h, response.body.id);
    return instance.output as MigrationSummary;
  };
  const armCalls = () => h.sandbox.apim.requests.length;

  it('dry run: an stv1 instance with PreserveIp is fully migratable; NewIP lists the IPs that change', async () => {
    h = await startHarness();
    const preserve = await h.api('POST', '/api/migrations/check', { service: DEV });
    expect(preserve.status).toBe(200);
    expect(preserve.body).toMatchObject({ verdict: 'FullyMigratable', mode: 'PreserveIp', platformVersion: 'stv1' });
    expect(preserve.body.findings.map((f: { code: string }) => f.code)).toEqual(['PreserveIpDowntime', 'Irreversible']);
    const ip = h.sandbox.apim.resource(h.sandbox.apim.service(DEV)) as { properties: { publicIPAddresses: string[] } };
    const newIp = await h.api('POST', '/api/migrations/check', { service: DEV, mode: 'NewIP' });
    expect(newIp.body.verdict).toBe('PartiallyMigratable');
    const change = newIp.body.findings.find((f: { code: string }) => f.code === 'NewIpChangesAddresses');
    expect(change.message).toContain(ip.properties.publicIPAddresses[0]);
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(0);
  });

  it('dry run: an instance already on stv2 is not migratable, and says so', async () => {
    h = await startHarness();
    const answer = await h.api('POST', '/api/migrations/check', { service: 'contoso-apim-weu' });
    expect(answer.body.verdict).toBe('NotMigratable');
    expect(answer.body.findings[0]).toMatchObject({ code: 'AlreadyOnStv2', severity: 'blocking', message: expect.stringContaining('stv2 in West Europe') });
  });

  it('dry run: a bad mode is a 400 naming the field and both modes', async () => {
    h = await startHarness();
    const answer = await h.api('POST', '/api/migrations/check', { service: DEV, mode: 'FastIP' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.problems[0]).toMatchObject({ path: 'mode', message: expect.stringContaining("'PreserveIp'") });
  });

  it('in place: pre-migration backup first, one migrate POST when every activity runs twice, verified, a first stv2 backup, the record', async () => {
    h = await startHarness({
      durationMs: (kind) => (kind === 'migrate' ? 45 * MINUTE : 2 * MINUTE),
      hooks: { duplicateActivity: () => 1 },
    });
    const before = (h.sandbox.apim.resource(h.sandbox.apim.service(DEV)) as { properties: { publicIPAddresses: string[] } }).properties.publicIPAddresses;
    const summary = await migrate({ service: DEV, confirm: DEV });
    expect(summary).toMatchObject({
      state: 'succeeded',
      kind: 'in-place',
      mode: 'PreserveIp',
      verification: { ok: true, platforms: { 'West Europe': 'stv2' } },
    });
    const posts = h.sandbox.apim.requests.filter((r) => r.method === 'POST' && r.status === 202 && r.service === DEV);
    expect(posts.map((r) => r.kind)).toEqual(['backup.post', 'migratetostv2.post', 'backup.post']);
    expect(h.sandbox.apim.service(DEV).platformVersion).toBe('stv2');

    const record = (await h.services.migrations.read(summary.recordName))!.record;
    const pre = (await h.services.catalog.read(record.preMigrationBackup!.backupName))!.manifest;
    expect(pre).toMatchObject({ trigger: 'pre-migration', state: 'succeeded', service: { platformVersion: 'stv1' } });
    expect(record.preMigrationBackup!.expiresAt).toBe(pre.expiresAt);
    const post = (await h.services.catalog.read(record.postMigrationBackup!))!.manifest;
    expect(post).toMatchObject({ state: 'succeeded', service: { platformVersion: 'stv2' } });
    expect(record.ipsBefore).toEqual({ 'West Europe': before });
    expect(record.ipsAfter).toEqual({ 'West Europe': before });
    expect(record.verification!.expected).toEqual(record.verification!.actual);
    expect(record.requestedBy).toBe('anonymous (HTTP authentication off)');
    // 45 minutes of migration plus two 2-minute backups, each checked every 15 s.
    expect(record.durations!.migrationMs).toBeGreaterThanOrEqual(45 * MINUTE);
    expect(record.durations!.totalMs).toBeLessThan(55 * MINUTE);
  });

  it('adopts its own migration after the POST answer is lost: one migration accepted, recorded as succeeded', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'migrate' ? 45 * MINUTE : MINUTE) });
    h.sandbox.apim.faults.add({ method: 'POST', path: /migrateToStv2$/, fault: { kind: 'drop-response' }, times: 1 });
    const summary = await migrate({ service: DEV, confirm: DEV });
    expect(summary).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.count('fault.drop-response')).toBe(1);
    // The dropped POST was carried out (the sandbox records it as accepted) and never sent again.
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(1);
  });

  it("waits out another operation's 409, then migrates once; an unanswered POST is never resent, and an adopted operation that leaves the instance on stv1 is not called a migration", async () => {
    h = await startHarness();
    h.sandbox.apim.faults.add({ method: 'POST', path: /migrateToStv2$/, fault: { kind: 'status', status: 409 }, times: 1 });
    const summary = await migrate({ service: DEV, confirm: DEV });
    expect(summary.state).toBe('succeeded');
    expect(h.sandbox.apim.requests.filter((r) => r.kind === 'migratetostv2.post' && r.status === 202)).toHaveLength(1);

    await h.close();
    h = await startHarness({ durationMs: () => MINUTE });
    // The POST never reaches ARM (the connection resets), so apim-dr cannot know; someone else's 3-minute operation
    // then runs on the instance and leaves it on stv1.
    h.sandbox.apim.faults.add({ method: 'POST', path: /migrateToStv2$/, fault: { kind: 'reset' }, times: 1 });
    const response = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    await h.clock.runUntil(() => h.sandbox.apim.count('fault.reset') === 1);
    h.sandbox.apim.service(DEV).provisioningState = 'Updating';
    await h.clock.advance(3 * MINUTE);
    h.sandbox.apim.service(DEV).provisioningState = 'Succeeded';
    const adopted = (await runToCompletion(h, response.body.id)).output as MigrationSummary;
    expect(adopted).toMatchObject({ state: 'failed', error: { code: 'NotMigrated', message: expect.stringContaining('still on stv1') } });
    // The reset POST was never resent.
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(0);
  });

  it('a migration whose watcher is lost in a long ARM outage is adopted by the tick, verified and backed up; one interrupted before its POST is settled as not migrated', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'migrate' ? 45 * MINUTE : MINUTE) });
    const response = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    await h.clock.runUntil(() => h.sandbox.apim.count('migratetostv2.post') === 1);
    h.sandbox.apim.faults.add({ path: /./, fault: { kind: 'status', status: 503 }, times: Number.POSITIVE_INFINITY });
    const handedOver = (await runToCompletion(h, response.body.id, 10 * 60 * MINUTE)).output as MigrationSummary;
    expect(handedOver).toMatchObject({ state: 'running', error: { code: 'ArmUnreachable' } });
    h.sandbox.apim.faults.clear();
    await h.host.invokeTimer('scheduleTick');
    expect(h.logs.filter((r) => r['event'] === 'apim-dr.schedule.tick').at(-1)!['reconciled']).toContain(handedOver.recordName);
    await h.clock.runUntil(async () => (await h.services.migrations.read(handedOver.recordName))!.record.state !== 'running', 2 * 60 * MINUTE);
    const record = (await h.services.migrations.read(handedOver.recordName))!.record;
    expect(record).toMatchObject({ state: 'succeeded', verification: { ok: true }, preMigrationBackup: { backupName: expect.any(String) } });
    expect(record.postMigrationBackup).toMatch(/\.manual\.apimbackup$/);
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(1);

    // A record left running before its POST (its host died): the tick settles it, and nothing is sent.
    const stamp = h.clock
      .now()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z');
    const interrupted = `migrations/${DEV}.${stamp}.000abcd.json`;
    const { startedAt: _s, operationToken: _t, preMigrationBackup: _p, postMigrationBackup: _q, completedAt: _c, verification: _v, ...rest } = record;
    await h.services.migrations.write({ ...rest, recordName: interrupted, state: 'running', requestedAt: h.clock.now().toISOString() });
    await h.clock.advance(15 * MINUTE);
    await h.host.invokeTimer('scheduleTick');
    await h.clock.runUntil(async () => (await h.services.migrations.read(interrupted))!.record.state !== 'running', 60 * MINUTE);
    expect((await h.services.migrations.read(interrupted))!.record).toMatchObject({ state: 'failed', error: { code: 'Interrupted' } });
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(1);
  });

  it('in place with NewIP records the new public IPs', async () => {
    h = await startHarness();
    const summary = await migrate({ service: DEV, mode: 'NewIP', confirm: DEV });
    expect(summary.state).toBe('succeeded');
    expect(summary.ipsAfter!['West Europe']).not.toEqual(summary.ipsBefore!['West Europe']);
    const now = h.sandbox.apim.resource(h.sandbox.apim.service(DEV)) as { properties: { publicIPAddresses: string[] } };
    expect(summary.ipsAfter!['West Europe']).toEqual(now.properties.publicIPAddresses);
  });

  it('the sweep retires a migration record past the retention, its audit kept in telemetry', async () => {
    h = await startHarness({ config: (sandbox) => sandbox.config({ defaults: { recordsKept: 1 } }) });
    const summary = await migrate({ service: DEV, confirm: DEV });
    // A second request is refused (already on stv2): its record is the newest, the one kept.
    const refused = await migrate({ service: DEV, confirm: DEV });
    await h.clock.advance(89 * 86_400_000);
    expect((await sweepNow(h)).retiredRecords).toEqual([]);
    await h.clock.advance(2 * 86_400_000);
    expect((await sweepNow(h)).retiredRecords).toEqual([summary.recordName]);
    expect(await h.services.migrations.read(summary.recordName)).toBeUndefined();
    expect((await h.services.migrations.read(refused.recordName))?.record.state).toBe('refused');
    expect(h.logs.find((r) => r['event'] === 'apim-dr.migration.record-retired')).toMatchObject({
      recordName: summary.recordName,
      service: DEV,
      state: 'succeeded',
      ipsBefore: summary.ipsBefore,
    });
  });

  it('status and the dashboard show each platform, the migration and how many instances are still on stv1', async () => {
    h = await startHarness();
    await backupNow(h, DEV);
    await backupNow(h, 'contoso-apim-weu');
    const before = await h.api('GET', '/api/status');
    expect(before.body.onStv1).toBe(1);
    const platforms = Object.fromEntries(before.body.instances.map((i: { service: string; platform?: string }) => [i.service, i.platform]));
    expect(platforms).toEqual({ 'contoso-apim-weu': 'stv2', 'contoso-apim-neu': undefined, [DEV]: 'stv1' });
    const page = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    expect(page).toContain('1 instance still on stv1');
    expect(page).toContain('data-platform="stv1"');

    const summary = await migrate({ service: DEV, confirm: DEV });
    const after = await h.api('GET', '/api/status');
    expect(after.body.onStv1).toBe(0);
    const dev = after.body.instances.find((i: { service: string }) => i.service === DEV);
    expect(dev).toMatchObject({
      platform: 'stv2',
      migration: { state: 'succeeded', kind: 'in-place', recordName: summary.recordName, wayBackUntil: summary.preMigrationBackup!.expiresAt },
    });
    const migrated = await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text());
    expect(migrated).not.toContain('still on stv1');
    expect(migrated).toContain('data-migration="succeeded"');
  });

  it('a failed migration is recorded with ARM code and message; the instance stays on stv1 and protected', async () => {
    h = await startHarness({
      failOperation: (kind) => (kind === 'migrate' ? { code: 'MigrationFailed', message: 'Migration to stv2 failed and was rolled back.' } : undefined),
    });
    const summary = await migrate({ service: DEV, confirm: DEV });
    expect(summary).toMatchObject({ state: 'failed', error: { code: 'MigrationFailed', message: expect.stringContaining('ARM reverted') } });
    expect(summary.verification!.platforms).toEqual({ 'West Europe': 'stv1' });
    expect(summary.postMigrationBackup).toBeUndefined();
    expect(h.logs.some((r) => r['event'] === 'apim-dr.migration.failed' && r['level'] === 'error')).toBe(true);
    expect((await backupNow(h, DEV)).state).toBe('succeeded');
  });

  /** An earlier in-place migration of DEV that took `ms` (of an instance since rebuilt on stv1): what a percent is measured against. */
  const earlierMigration = async (ms: number) => {
    const at = new Date(h.clock.now().getTime() - 20 * 24 * 60 * MINUTE);
    const dev = SAMPLE_SERVICES.find((s) => s.name === DEV)!;
    await h.services.migrations.write({
      schemaVersion: 1,
      recordName: migrationRecordName(DEV, at, 'earlier'),
      kind: 'in-place',
      service: DEV,
      serviceId: canonicalServiceId(dev.subscriptionId, dev.resourceGroup, dev.name),
      mode: 'PreserveIp',
      requestedBy: 'an earlier operator',
      correlationId: 'earlier',
      owner: 'earlier',
      requestedAt: at.toISOString(),
      completedAt: new Date(at.getTime() + ms).toISOString(),
      state: 'succeeded',
      verdict: 'FullyMigratable',
      findings: [],
      durations: { migrationMs: ms, totalMs: ms },
    });
  };

  it('without an earlier migration of the instance, shows the phase and time elapsed, never a percent', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'migrate' ? 45 * MINUTE : MINUTE) });
    const response = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    const seen: unknown[] = [];
    for (let minute = 0; minute < 50; minute += 5) {
      seen.push((await h.api('GET', `/api/operations/${response.body.id}`)).body.customStatus);
      await h.clock.advance(5 * MINUTE);
    }
    const running = seen.filter((s): s is { phase: string } => (s as { phase?: string } | undefined)?.phase !== undefined);
    expect(running.map((s) => s.phase)).toContain('migrating');
    expect(running.filter((s) => 'percent' in s)).toEqual([]);
    const summary = (await runToCompletion(h, response.body.id)).output as MigrationSummary;
    expect(summary.state).toBe('succeeded');
    // Once settled, the status says done.
    expect((await h.api('GET', `/api/operations/${response.body.id}`)).body.customStatus).toMatchObject({ phase: 'succeeded', percent: 100 });
  });

  it('shows a migration running in status, and past 2 hours says to open a support case', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'migrate' ? 150 * MINUTE : MINUTE) });
    // The instance's own earlier migration is what the percent measures against.
    await earlierMigration(45 * MINUTE);
    const response = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    await h.clock.advance(60 * MINUTE);
    const running = (await h.api('GET', '/api/status')).body.instances.find((i: { service: string }) => i.service === DEV);
    expect(running.migration).toMatchObject({ state: 'running', phase: 'migrating', percent: expect.any(Number) });
    expect(running.migration.overdue).toBeUndefined();
    await h.clock.advance(70 * MINUTE);
    const late = (await h.api('GET', '/api/status')).body.instances.find((i: { service: string }) => i.service === DEV);
    expect(late.migration).toMatchObject({ percent: 99, overdue: expect.stringContaining('support case') });
    expect(await fetch(`${h.host.origin}/api/dashboard`).then((r) => r.text())).toContain('open a support case');
    expect(((await runToCompletion(h, response.body.id)).output as MigrationSummary).state).toBe('succeeded');
  });

  it('refuses a second migration of the instance while one runs, before any ARM call', async () => {
    h = await startHarness({ durationMs: (kind) => (kind === 'migrate' ? 45 * MINUTE : MINUTE) });
    const first = await h.api('POST', '/api/migrations', { service: DEV, confirm: DEV });
    await h.clock.advance(5 * MINUTE);
    const calls = armCalls();
    const second = await h.api('POST', '/api/migrations', { service: DEV, mode: 'NewIP', confirm: DEV });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'InstanceBusy', message: expect.stringContaining('already running') });
    expect(armCalls()).toBe(calls);
    const backup = await h.api('POST', '/api/backups', { service: DEV });
    expect(backup.body.error.message).toContain(`a migration of '${DEV}' is running`);
    expect(((await runToCompletion(h, first.body.id)).output as MigrationSummary).state).toBe('succeeded');
    // Once on stv2, the gate refuses before any migrate POST.
    const again = await migrate({ service: DEV, confirm: DEV });
    expect(again.state).toBe('refused');
    expect(again.findings.find((f) => f.severity === 'blocking')?.code).toBe('AlreadyOnStv2');
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(1);
  });

  it('refuses without confirmation, naming the field, and before any ARM call', async () => {
    h = await startHarness();
    const answer = await h.api('POST', '/api/migrations', { service: DEV, confirm: 'contoso' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.problems[0]).toMatchObject({ path: 'confirm', message: expect.stringContaining('cannot be undone') });
    expect(armCalls()).toBe(0);
  });

  it('refuses when no pre-migration backup is possible (workspace gateways), and migrates nothing', async () => {
    // Workspace gateways exist only where the tier has workspaces: a Premium instance still on stv1.
    h = await startHarness({
      services: SAMPLE_SERVICES.map((s) => (s.name === DEV ? { ...s, sku: { name: 'Premium', capacity: 1 }, workspaceGateways: ['gw-1'] } : s)),
    });
    const summary = await migrate({ service: DEV, confirm: DEV });
    expect(summary.state).toBe('refused');
    expect(summary.findings.filter((f) => f.severity === 'blocking').map((f) => f.code)).toEqual(['WorkspaceGateways']);
    expect(h.sandbox.apim.count('backup.post') + h.sandbox.apim.count('migratetostv2.post')).toBe(0);
    const record = (await h.services.migrations.read(summary.recordName))!.record;
    expect(record).toMatchObject({ state: 'refused', verdict: 'NotMigratable' });
  });

  it('refuses an instance that apim-dr does not protect: its pre-migration backup is the only way back', async () => {
    h = await startHarness({ services: [...SAMPLE_SERVICES, { ...NEW_DEV, platformVersion: 'stv1' }], config: withStandby });
    const answer = await h.api('POST', '/api/migrations/check', { service: NEW_DEV.name });
    expect(answer.body.verdict).toBe('NotMigratable');
    expect(answer.body.findings[0]).toMatchObject({ code: 'NoPreMigrationBackup', message: expect.stringContaining('not a protected instance') });
  });

  it('dry run of a VNet-injected, multi-region stv1 instance names each prerequisite, every region and the shared subnet', async () => {
    const subnetId = `/subscriptions/${SANDBOX_SUBSCRIPTION}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-weu/subnets/apim`;
    const premium: SandboxServiceSpec = {
      ...SAMPLE_SERVICES[0]!,
      platformVersion: 'stv1',
      virtualNetworkType: 'Internal',
      subnetId,
      additionalLocations: ['North Europe'],
    };
    const neighbour: SandboxServiceSpec = { ...SAMPLE_SERVICES[1]!, virtualNetworkType: 'External', subnetId };
    h = await startHarness({ services: [premium, neighbour, SAMPLE_SERVICES[2]!] });
    const answer = await h.api('POST', '/api/migrations/check', { service: premium.name, mode: 'NewIP' });
    const codes = answer.body.findings.map((f: { code: string }) => f.code);
    expect(answer.body.verdict).toBe('PartiallyMigratable');
    expect(codes).toEqual([
      'NewIpChangesAddresses',
      'VnetPrerequisites',
      'NetworkJoinPermission',
      'OldComputeKept',
      'SubnetShared',
      'AllRegions',
      'Irreversible',
    ]);
    const byCode = Object.fromEntries(answer.body.findings.map((f: { code: string }) => [f.code, f]));
    expect(byCode.VnetPrerequisites.fix).toContain(subnetId);
    expect(byCode.SubnetShared.message).toContain('contoso-apim-neu');
    expect(byCode.AllRegions.message).toContain('stv1 in North Europe');
    expect(Object.keys(answer.body.publicIPs)).toEqual(['West Europe', 'North Europe']);
  });

  it('side by side: pre-migration backup of the source, restored into the stv2 standby, verified, the checklist recorded; the source untouched', async () => {
    h = await startHarness({ services: [...SAMPLE_SERVICES, NEW_DEV], config: withStandby });
    const check = await h.api('POST', '/api/migrations/check', { service: DEV, target: NEW_DEV.name });
    expect(check.body).toMatchObject({ verdict: expect.stringMatching(/Migratable$/), target: NEW_DEV.name });
    expect(check.body.verdict).not.toBe('NotMigratable');
    const summary = await migrate({ service: DEV, target: NEW_DEV.name, confirm: NEW_DEV.name });
    expect(summary).toMatchObject({ state: 'succeeded', kind: 'side-by-side', target: NEW_DEV.name });
    expect(h.sandbox.apim.service(NEW_DEV.name).configuration).toEqual(h.sandbox.apim.service(DEV).configuration);
    expect(h.sandbox.apim.service(DEV).platformVersion).toBe('stv1');
    expect(h.sandbox.apim.count('migratetostv2.post')).toBe(0);
    const restore = (await h.services.restores.read(summary.restoreRecord!))!.record;
    expect(restore).toMatchObject({ purpose: 'migration', backupName: summary.preMigrationBackup!.backupName, verification: { ok: true } });
    expect(summary.checklist!.join('\n')).toMatch(/DNS|clients/);
    expect(summary.checklist!.join('\n')).toContain('decommission');
  });

  it('side by side refuses a target on stv1 or not a standby of the source', async () => {
    h = await startHarness({ services: [...SAMPLE_SERVICES, { ...NEW_DEV, platformVersion: 'stv1' }], config: withStandby });
    const stv1 = await h.api('POST', '/api/migrations/check', { service: DEV, target: NEW_DEV.name });
    expect(stv1.body.findings.filter((f: { severity: string }) => f.severity === 'blocking').map((f: { code: string }) => f.code)).toEqual(['TargetNotOnStv2']);
    const notStandby = await h.api('POST', '/api/migrations/check', { service: DEV, target: 'contoso-apim-neu' });
    expect(notStandby.body.findings.filter((f: { severity: string }) => f.severity === 'blocking').map((f: { code: string }) => f.code)).toContain(
      'NotAStandby',
    );
  });

  it('the way back: the pre-migration backup restored into another instance; refused once it has expired', async () => {
    h = await startHarness({ services: [...SAMPLE_SERVICES, NEW_DEV], config: withStandby });
    const summary = await migrate({ service: DEV, confirm: DEV });
    expect(summary.state).toBe('succeeded');
    // What `apim-dr migrate --rollback <record> --to <instance>` restores, built from the record alone.
    const ask = await migrationRollbackAsk(h.services, summary.recordName, NEW_DEV.name, 'test');
    expect(ask).toMatchObject({ backup: summary.preMigrationBackup!.backupName, target: expect.stringContaining(NEW_DEV.name) });
    const restore = await h.api('POST', '/api/restores', { source: ask.source, target: ask.target, backup: ask.backup, confirm: NEW_DEV.name });
    expect((await runToCompletion(h, restore.body.id)).output).toMatchObject({ state: 'succeeded', verification: { ok: true } });
    expect(h.sandbox.apim.service(NEW_DEV.name).configuration).toEqual(h.sandbox.apim.service(DEV).configuration);
    await expect(migrationRollbackAsk(h.services, summary.recordName, DEV, 'test')).rejects.toMatchObject({ code: 'WayBackIsAnotherInstance' });

    await h.clock.advance(30 * 86_400_000);
    await expect(migrationRollbackAsk(h.services, summary.recordName, NEW_DEV.name, 'test')).rejects.toMatchObject({
      code: 'WayBackClosed',
      kind: 'refused',
      message: expect.stringContaining(summary.preMigrationBackup!.expiresAt),
    });
  });
});
