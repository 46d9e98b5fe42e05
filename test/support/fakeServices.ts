/**
 * In-memory stand-ins for the services the operation activities use (catalog, records, ARM), so start, check and
 * finish are tested where their logic lives. Only what those activities call is here; the rest is left out.
 */
import type { CheckResult, StartResult } from '../../src/azure/apimOperations';
import { parseConfig } from '../../src/config/loadConfig';
import type { BackupManifest } from '../../src/domain/manifest';
import type { MigrationRecord } from '../../src/domain/migrationRecord';
import type { ServiceRef } from '../../src/domain/resourceId';
import type { RestoreRecord } from '../../src/domain/restoreRecord';
import type { Inventory, ServiceSnapshot } from '../../src/domain/service';
import type { Services } from '../../src/services';
import { armServiceId } from './armShaped';
import { stv1Snapshot } from './stv1Snapshot';

export const NOW = new Date('2026-05-10T12:00:00Z');
export const SOURCE_ID = armServiceId('apim-weu');
export const STANDBY_ID = armServiceId('apim-neu');

/** A store of records by name, each written with a fresh ETag. */
class Records<R> {
  readonly byName = new Map<string, { record: R; etag: string }>();
  writes = 0;
  constructor(private readonly nameOf: (r: R) => string) {}
  read(name: string) {
    return Promise.resolve(this.byName.get(name));
  }
  write(record: R, etag?: string) {
    const stored = this.byName.get(this.nameOf(record));
    if (etag !== undefined && stored && stored.etag !== etag) return Promise.resolve(false as const);
    this.writes++;
    const next = `"${this.writes}"`;
    this.byName.set(this.nameOf(record), { record, etag: next });
    return Promise.resolve(next);
  }
  put(record: R) {
    this.byName.set(this.nameOf(record), { record, etag: '"0"' });
  }
}

export interface FakeServices {
  services: Services;
  manifests: Records<BackupManifest>;
  restores: Records<RestoreRecord>;
  migrations: Records<MigrationRecord>;
  blobSizes: Map<string, number>;
  tagged: string[];
  indexed: BackupManifest[];
  /** By instance name. */
  instances: Map<string, ServiceSnapshot>;
  inventories: Map<string, Inventory>;
  /** ARM's answer to a check of a token, by token. */
  answers: Map<string, CheckResult>;
  /** ARM's answer to the next operation POST, and the POSTs sent. */
  startAnswer: StartResult;
  posts: string[];
  /** Thrown by every ARM GET while set (an outage). */
  armDown?: Error;
  events: { name: string; properties: Record<string, unknown>; level?: string }[];
  finished: { kind: string; state: string }[];
}

export function instance(name: string, over: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
  return stv1Snapshot({ id: armServiceId(name), name, platformVersion: 'stv2', ...over }, [{ platformVersion: over.platformVersion ?? 'stv2' }]);
}

export function fakeServices(): FakeServices {
  const config = parseConfig({ storage: { account: 'acct', container: 'backups' }, services: [{ id: SOURCE_ID, standbys: [{ id: STANDBY_ID }] }] });
  const fake: FakeServices = {
    services: undefined as unknown as Services,
    manifests: new Records<BackupManifest>((m) => m.backupName),
    restores: new Records<RestoreRecord>((r) => r.recordName),
    migrations: new Records<MigrationRecord>((r) => r.recordName),
    blobSizes: new Map(),
    tagged: [],
    indexed: [],
    instances: new Map([
      ['apim-weu', instance('apim-weu')],
      ['apim-neu', instance('apim-neu')],
    ]),
    inventories: new Map(),
    answers: new Map(),
    startAnswer: { status: 'started', token: 'new-token', retryAfterMs: 30_000 },
    posts: [],
    events: [],
    finished: [],
  };
  const arm = <T>(answer: () => T): Promise<T> => (fake.armDown ? Promise.reject(fake.armDown) : Promise.resolve(answer()));
  const services = {
    config,
    clock: { now: () => NOW, sleep: () => Promise.resolve() },
    settings: {},
    catalog: {
      read: (backupName: string) => fake.manifests.read(backupName).then((s) => s && { manifest: s.record, etag: s.etag }),
      update: (manifest: BackupManifest, etag?: string) => fake.manifests.write(manifest, etag),
      backupBlobSize: (backupName: string) => Promise.resolve(fake.blobSizes.get(backupName)),
      tagBackupBlob: (manifest: BackupManifest) => Promise.resolve(void fake.tagged.push(manifest.backupName)),
      create: async (manifest: BackupManifest) => {
        if (fake.manifests.byName.has(manifest.backupName)) return { created: false as const };
        return { created: true as const, etag: (await fake.manifests.write(manifest)) as string };
      },
      ensureReachable: () => Promise.resolve(),
      list: () => Promise.resolve([]),
    },
    catalogIndex: {
      record: (manifest: BackupManifest) => Promise.resolve(void fake.indexed.push(manifest)),
      view: () => Promise.resolve({ entries: [], durations: new Map() }),
    },
    restores: fake.restores,
    migrations: fake.migrations,
    apim: {
      countWorkspaceGateways: () => arm(() => 0),
      getService: (ref: ServiceRef) => arm(() => fake.instances.get(ref.name)!),
      countInventory: (ref: ServiceRef) => arm(() => fake.inventories.get(ref.name) ?? { apis: 0, products: 0, namedValues: 0 }),
      start: (kind: string, ref: ServiceRef) => arm(() => (fake.posts.push(`${kind} ${ref.name}`), fake.startAnswer)),
      startMigration: (ref: ServiceRef, mode: string) => arm(() => (fake.posts.push(`migrate ${ref.name} ${mode}`), fake.startAnswer)),
      check: (_kind: string, _ref: ServiceRef, token: string) => arm(() => fake.answers.get(token) ?? { status: 'running' }),
    },
    logger: {
      event: (name: string, properties: Record<string, unknown>, level?: string) => void fake.events.push({ name, properties, level }),
      log: () => undefined,
    },
    telemetry: { operationFinished: (o: { kind: string; state: string }) => void fake.finished.push({ kind: o.kind, state: o.state }) },
    notifier: { observe: () => Promise.resolve() },
  };
  fake.services = services as unknown as Services;
  return fake;
}

export const BACKUP_NAME = 'apim-weu.20260510T113000Z.scheduled.apimbackup';

/** The manifest a started backup of apim-weu leaves: running, with its poller's token. */
export function runningManifest(over: Partial<BackupManifest> = {}): BackupManifest {
  return {
    schemaVersion: 1,
    backupName: BACKUP_NAME,
    storageAccount: 'acct',
    container: 'backups',
    serviceId: SOURCE_ID,
    service: instance('apim-weu'),
    inventory: { apis: 3, products: 2, namedValues: 1 },
    trigger: 'scheduled',
    requestedBy: 'schedule',
    correlationId: 'corr-1',
    owner: 'backup-apim-weu@2026-05-10T11:30:00.000Z',
    startedAt: '2026-05-10T11:30:00.000Z',
    createdAt: '2026-05-10T11:30:00.000Z',
    expiresAt: '2026-06-09T11:30:00.000Z',
    state: 'running',
    operationToken: 'backup-token',
    ...over,
  };
}

export const RESTORE_RECORD = 'restores/apim-neu.20260510T113000Z.json';
export const MIGRATION_RECORD = 'migrations/apim-weu.20260510T113000Z.json';

/** A restore of BACKUP_NAME into the standby, its POST sent half an hour ago. */
export function runningRestore(over: Partial<RestoreRecord> = {}): RestoreRecord {
  return {
    schemaVersion: 1,
    recordName: RESTORE_RECORD,
    source: 'apim-weu',
    target: 'apim-neu',
    targetId: STANDBY_ID,
    backupName: BACKUP_NAME,
    requestedBy: 'operator@contoso.example',
    correlationId: 'corr-2',
    owner: 'restore-apim-neu@2026-05-10T11:30:00.000Z',
    purpose: 'restore',
    requestedAt: '2026-05-10T11:30:00.000Z',
    startedAt: '2026-05-10T11:31:00.000Z',
    state: 'running',
    findings: [],
    operationToken: 'restore-token',
    ...over,
  };
}

/** An in-place PreserveIp migration of apim-weu, its POST sent 25 minutes ago. */
export function runningMigration(over: Partial<MigrationRecord> = {}): MigrationRecord {
  return {
    schemaVersion: 1,
    recordName: MIGRATION_RECORD,
    kind: 'in-place',
    service: 'apim-weu',
    serviceId: SOURCE_ID,
    mode: 'PreserveIp',
    requestedBy: 'operator@contoso.example',
    correlationId: 'corr-3',
    owner: 'restore-apim-weu@2026-05-10T11:30:00.000Z',
    requestedAt: '2026-05-10T11:30:00.000Z',
    startedAt: '2026-05-10T11:35:00.000Z',
    state: 'running',
    verdict: 'FullyMigratable',
    findings: [],
    operationToken: 'migration-token',
    ...over,
  };
}
