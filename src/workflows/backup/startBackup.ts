/** Activity: preflight an instance and start its backup, exactly once even when the activity runs twice. */
import { backupParameters } from '../../azure/backupParameters';
import { resolveService, type ResolvedService } from '../../config/resolveService';
import { backupName } from '../../domain/backupName';
import { checkBackupReadiness } from '../../domain/backupReadiness';
import { isBusy } from '../../domain/provisioningState';
import { expiresAt } from '../../domain/expiry';
import { completionWindow } from '../../domain/pollPlan';
import { durationStats } from '../../domain/rpoPlan';
import type { BackupManifest } from '../../domain/manifest';
import { ensureError, UserError } from '../../errors';
import type { Services } from '../../services';
import { ANSWER_LOST_RETRY_MS, BUSY_RETRY_MS } from '../operation';
import { claimHeld, CLAIM_HELD_MESSAGE, lostClaim } from '../postClaim';
import type { StartBackupInput, StartBackupOutput, WatchPlan } from './types';

export async function startBackup(services: Services, input: StartBackupInput): Promise<StartBackupOutput> {
  const service = resolveService(services.config, input.serviceId);
  const name = backupName(service.ref.name, new Date(input.requestedAt), input.trigger);
  try {
    const existing = await services.catalog.read(name);
    if (existing) return await resumeExisting(services, service, existing.manifest, input);
    return await startNew(services, service, name, input);
  } catch (err) {
    // A missing role, instance, container or app setting will not fix itself on retry: record why, and stop.
    if (err instanceof UserError) return refuse(services, service, name, input, err);
    throw err;
  }
}

async function startNew(services: Services, service: ResolvedService, name: string, input: StartBackupInput): Promise<StartBackupOutput> {
  const startedAt = services.clock.now();
  const snapshot = await services.apim.getService(service.ref);
  const gateways = await services.apim.countWorkspaceGateways(service.ref, snapshot.sku.name);
  const problems = checkBackupReadiness(snapshot, gateways, service.access);
  const manifest: BackupManifest = { ...baseManifest(services, service, name, input, startedAt), service: snapshot };
  if (problems.length > 0) {
    const [first] = problems;
    const error = { code: first!.code, message: problems.map((p) => `${p.message} (fix: ${p.fix})`).join('; ') };
    const refused: BackupManifest = { ...manifest, state: 'failed', completedAt: startedAt.toISOString(), error };
    await services.catalog.create(refused);
    await services.catalogIndex.record(refused);
    return { status: 'refused', backupName: name, ...error };
  }
  if (snapshot.provisioningState !== 'Succeeded') {
    return { status: 'busy', backupName: name, message: `instance is '${snapshot.provisioningState}'`, retryAfterMs: BUSY_RETRY_MS };
  }
  await services.catalog.ensureReachable();
  manifest.inventory = await services.apim.countInventory(service.ref);

  const plan = await watchPlan(services, service);

  const created = await services.catalog.create(manifest);
  if (!created.created) {
    // Another run of this activity wrote the record between our read and our write.
    const winner = await services.catalog.read(name);
    return resumeExisting(services, service, winner!.manifest, input);
  }
  // The tick reads running backups from the index: one whose watcher is lost is adopted from there.
  await services.catalogIndex.record(manifest);
  return post(services, service, manifest, created.etag, plan);
}

/**
 * Where this instance's recent backups finished and how long they usually take, for the watch: from the catalog
 * index, which keeps each instance's recent successes' durations (not a listing of its entries, which grows with the
 * history kept: issue 31). An instance without history of its own borrows the fleet's, so that even its first backup
 * is checked sparsely before the fleet's fastest backup could have finished.
 */
async function watchPlan(services: Services, service: ResolvedService): Promise<WatchPlan> {
  const index = await services.catalogIndex.view();
  const own = index.durations.get(service.ref.name.toLowerCase()) ?? [];
  const durations = own.length ? own : [...index.durations.values()].flat();
  const window = completionWindow(durations);
  return window ? { window, expectedMs: durationStats(durations).medianMs } : {};
}

/** Records a user error as the backup's failure, with its fix, and refuses: retrying would only fail again. */
async function refuse(services: Services, service: ResolvedService, name: string, input: StartBackupInput, err: UserError): Promise<StartBackupOutput> {
  const error = { code: err.code, message: err.message };
  const completedAt = services.clock.now().toISOString();
  try {
    const stored = await services.catalog.read(name);
    let failed: BackupManifest | undefined;
    if (!stored) {
      failed = { ...baseManifest(services, service, name, input, services.clock.now()), state: 'failed', completedAt, error };
      await services.catalog.create(failed);
    } else if (stored.manifest.owner === input.owner && stored.manifest.state === 'running') {
      failed = { ...stored.manifest, state: 'failed', completedAt, error };
      await services.catalog.update(failed, stored.etag);
    }
    if (failed) await services.catalogIndex.record(failed);
  } catch (recordErr) {
    // Storage itself may be the problem (a missing container): the refusal stands, and the log says why it is unrecorded.
    services.logger.log('warn', `backup '${name}' refused (${err.code}) but its record could not be written: ${ensureError(recordErr).message}`, {
      service: service.ref.name,
    });
  }
  return { status: 'refused', backupName: name, ...error };
}

async function post(services: Services, service: ResolvedService, manifest: BackupManifest, etag: string, plan: WatchPlan = {}): Promise<StartBackupOutput> {
  const pollIntervalMs = services.config.defaults.pollInterval;
  const started = await services.apim.start(
    'backup',
    service.ref,
    backupParameters(services.config.storage, services.settings, service.access, manifest.backupName),
  );
  if (started.status === 'busy' || started.status === 'unanswered') {
    // 409: someone's operation runs, or our POST's answer was lost and ARM may run ours. Either way the record stays;
    // the next start adopts the running operation (checkBackup tells ours by the blob) or, once idle, posts again.
    const retryAfterMs = started.status === 'busy' ? BUSY_RETRY_MS : ANSWER_LOST_RETRY_MS;
    return { status: 'busy', backupName: manifest.backupName, message: started.message, retryAfterMs };
  }
  if (started.status === 'rejected') {
    // ARM refused the POST itself: nothing runs, so the record is settled now with ARM's code, and never retried.
    const error = { code: started.code, message: started.message };
    await services.catalog.update({ ...manifest, state: 'failed', completedAt: services.clock.now().toISOString(), error }, etag);
    return { status: 'refused', backupName: manifest.backupName, ...error };
  }
  await services.catalog.update({ ...manifest, operationToken: started.token }, etag);
  services.logger.event('apim-dr.backup.started', {
    service: service.ref.name,
    backupName: manifest.backupName,
    correlationId: manifest.correlationId,
    trigger: manifest.trigger,
  });
  return { status: 'started', backupName: manifest.backupName, token: started.token, pollIntervalMs, retryAfterMs: started.retryAfterMs, ...plan };
}

/** A record for this backup exists: ours from an earlier run of this activity, or a name clash. */
async function resumeExisting(services: Services, service: ResolvedService, manifest: BackupManifest, input: StartBackupInput): Promise<StartBackupOutput> {
  const name = manifest.backupName;
  const pollIntervalMs = services.config.defaults.pollInterval;
  if (manifest.owner !== input.owner) {
    return {
      status: 'refused',
      backupName: name,
      code: 'NameInUse',
      message: `backup '${name}' already exists and belongs to ${manifest.owner}; request the backup again`,
    };
  }
  if (manifest.state === 'failed' && manifest.error) return { status: 'refused', backupName: name, ...manifest.error };
  if (manifest.state !== 'running' || manifest.operationToken) {
    return { status: 'started', backupName: name, token: manifest.operationToken, pollIntervalMs };
  }
  // Our record exists without a token: the earlier run either is still sending the POST or died around it.
  const snapshot = await services.apim.getService(service.ref);
  if (isBusy(snapshot.provisioningState)) {
    // An operation runs and may be ours: monitor it by the instance's state and the blob (checkBackup adopts it).
    return { status: 'started', backupName: name, pollIntervalMs };
  }
  // The record was created (or claimed) moments ago: a concurrent execution of this step may be sending its POST.
  if (claimHeld(manifest.postClaimedAt ?? manifest.startedAt, services.clock.now())) {
    return { status: 'busy', backupName: name, message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
  }
  if ((await services.catalog.backupBlobSize(name)) !== undefined) {
    return { status: 'started', backupName: name, pollIntervalMs };
  }
  const stored = await services.catalog.read(name);
  const claimed = { ...stored!.manifest, postClaimedAt: services.clock.now().toISOString() };
  let etag: string;
  try {
    etag = await services.catalog.update(claimed, stored!.etag);
  } catch (err) {
    if (lostClaim(err)) return { status: 'busy', backupName: name, message: CLAIM_HELD_MESSAGE, retryAfterMs: ANSWER_LOST_RETRY_MS };
    throw err;
  }
  return post(services, service, claimed, etag);
}

function baseManifest(services: Services, service: ResolvedService, name: string, input: StartBackupInput, startedAt: Date): BackupManifest {
  return {
    schemaVersion: 1,
    backupName: name,
    storageAccount: services.config.storage.account,
    container: services.config.storage.container,
    serviceId: service.ref.id,
    trigger: input.trigger,
    requestedBy: input.requestedBy,
    correlationId: input.correlationId,
    ...(input.events ? { events: input.events } : {}),
    owner: input.owner,
    startedAt: startedAt.toISOString(),
    // Conservative: the restore window starts no later than the moment we ask for the backup.
    createdAt: startedAt.toISOString(),
    expiresAt: expiresAt(startedAt).toISOString(),
    state: 'running',
  };
}
