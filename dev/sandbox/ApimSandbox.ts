/** The sandbox APIM management plane's state machine: instances, long-running backup/restore, faults. */
import { ensureError } from '../../src/errors';
import { ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/clock';
import { RESTORE_WINDOW_MS } from '../../src/domain/expiry';
import { isBusy } from '../../src/domain/provisioningState';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { FaultPlan } from './faults';
import { ResourceGraphSandbox } from './resourceGraph';
import { toArmResource, type SandboxConfiguration, type SandboxService, type SandboxServiceSpec } from './model';
import { resourceActionEvent, type ActionRequest } from './resourceEvents';

export const SANDBOX_BACKUP_FORMAT = 'apim-dr-sandbox-backup/1';
const UNSUPPORTED_TIERS = ['Consumption', 'BasicV2', 'StandardV2', 'PremiumV2'];

export interface OperationBody {
  storageAccount?: string;
  containerName?: string;
  backupName?: string;
  accessType?: string;
  accessKey?: string;
  clientId?: string;
  /** `migrateToStv2`'s body. */
  mode?: string;
}

export interface ArmFailure {
  code: string;
  message: string;
}

export type SandboxOperationKind = 'backup' | 'restore' | 'migrate';

export interface Operation {
  id: string;
  kind: SandboxOperationKind;
  serviceKey: string;
  location: string;
  subscriptionId: string;
  body: OperationBody;
  startedAt: number;
  endsAt: number;
  settled?: { ok: true } | { ok: false; error: ArmFailure };
  /** When it ended; its result is kept for `operationResultTtlMs` after, then its URLs answer 404. */
  settledAt?: number;
  forcedFailure?: ArmFailure;
  /** Besides Location, the 202 named an Azure-AsyncOperation status URL. */
  asyncStatus: boolean;
  /** The POST that started it, for the resource event ARM raises when it ends. */
  request?: ActionRequest;
}

/** ARM's name for each action in its operation names (`Microsoft.ApiManagement/service/{action}/action`). */
const ACTION_NAMES: Record<SandboxOperationKind, string> = { backup: 'backup', restore: 'restore', migrate: 'migrateToStv2' };

export interface SandboxOptions {
  clock: Clock;
  /** Storage account name → connection string of the (Azurite) account APIM writes backups to. */
  storageAccounts: Record<string, { connectionString: string; accessKey?: string }>;
  /** How long an operation takes, in this clock's milliseconds. */
  durationMs?: (kind: SandboxOperationKind, service: SandboxServiceSpec) => number;
  /** Retry-After (seconds) on 202 responses; omitted when undefined. */
  retryAfterSeconds?: number;
  /** Decides, when an operation starts, that it will fail (e.g. a failure rate in a long run). */
  failOperation?: (kind: SandboxOperationKind, service: SandboxServiceSpec) => ArmFailure | undefined;
  /** How long a finished operation's result stays readable (default 6 h); then its URLs answer 404, as ARM's expire. */
  operationResultTtlMs?: number;
  /** Items per page of a list; more come by `nextLink` (default 2: small pages, so every list is paged). */
  pageSize?: number;
  /** The provisioningState an instance shows while its operation runs (default `Updating`; ARM also reports others). */
  runningState?: string;
  /** Operations whose 202 also names an Azure-AsyncOperation status URL (default: restores). */
  asyncStatusFor?: SandboxOperationKind[];
}

export const DEFAULT_OPERATION_RESULT_TTL_MS = 6 * 3_600_000;

export interface RequestRecord {
  method: string;
  kind: string;
  service?: string;
  status: number;
  at: number;
}

const REQUESTS_KEPT = 50_000;

export class ApimSandbox {
  private readonly services = new Map<string, SandboxService>();
  private readonly operations = new Map<string, Operation>();
  /** The operations not yet settled: every request settles what is due, so it looks at these alone. */
  private readonly unsettled = new Set<Operation>();
  private readonly pendingFailures = new Map<string, ArmFailure[]>();
  readonly faults = new FaultPlan();
  /** Resource Graph over these instances: page size, quota, unreadable subscriptions, management groups. */
  readonly graph = new ResourceGraphSandbox();
  private readonly changeListeners: ((event: Record<string, unknown>) => void)[] = [];
  private readonly tampers = new Map<string, (config: SandboxConfiguration) => void>();
  /** The newest requests, up to REQUESTS_KEPT (a long run's memory stays flat); `count` counts them all. */
  readonly requests: RequestRecord[] = [];
  private readonly counts = new Map<string, number>();
  private serviceRequests = 0;

  constructor(readonly options: SandboxOptions) {}

  addService(spec: SandboxServiceSpec): SandboxService {
    const id = canonicalServiceId(spec.subscriptionId, spec.resourceGroup, spec.name);
    const service: SandboxService = {
      spec,
      id,
      provisioningState: 'Succeeded',
      // Consumption runs on the multi-tenant platform; every other tier here starts on stv2 unless the spec says.
      platformVersion: spec.platformVersion ?? (spec.sku.name === 'Consumption' ? 'mtv1' : 'stv2'),
      ipGeneration: 0,
      configuration: { apis: [], products: [], namedValues: [], ...spec.configuration },
      deniedActions: new Set(),
    };
    this.services.set(id.toLowerCase(), service);
    return service;
  }

  getService(id: string): SandboxService | undefined {
    return this.services.get(id.toLowerCase());
  }

  service(name: string): SandboxService {
    const found = [...this.services.values()].find((s) => s.spec.name === name);
    if (!found) throw new Error(`sandbox has no instance named '${name}'`);
    return found;
  }

  listServices(): SandboxService[] {
    return [...this.services.values()];
  }

  /** Makes the next backup/restore/migration of that instance fail with this ARM error when it completes. */
  failNextOperation(name: string, error: ArmFailure): void {
    const key = this.service(name).id.toLowerCase();
    this.pendingFailures.set(key, [...(this.pendingFailures.get(key) ?? []), error]);
  }

  /** Puts an instance in any provisioningState (Created, Activating, Terminating, …), as ARM may report it. */
  setProvisioningState(name: string, state: string): void {
    this.service(name).provisioningState = state;
  }

  /** Makes every finished operation's result expire now: its Location and status URLs answer 404 from here on. */
  expireOperationResults(): void {
    for (const operation of this.operations.values()) if (operation.settled) operation.settledAt = -Infinity;
  }

  /** Makes the next restore into that instance come out different from the backup (to test verification). */
  tamperNextRestore(name: string, tamper: (config: SandboxConfiguration) => void): void {
    this.tampers.set(this.service(name).id.toLowerCase(), tamper);
  }

  /**
   * Called with each ARM resource event (Event Grid schema) a resource group's system topic would deliver: a
   * `ResourceWriteSuccess` whenever a configuration changes, a `ResourceActionSuccess`/`Failure` when one of its
   * backups, restores or migrations ends.
   */
  onChange(listener: (event: Record<string, unknown>) => void): void {
    this.changeListeners.push(listener);
  }

  /** Changes an instance's configuration (as a portal edit would) and emits the ARM event for it. */
  changeConfiguration(name: string, change: (config: SandboxConfiguration) => void, resource = ''): SandboxConfiguration {
    const service = this.service(name);
    change(service.configuration);
    const resourceUri = `${service.id}${resource}`;
    // '/apis/orders' → 'Microsoft.ApiManagement/service/apis/write', as ARM names the operation.
    const collection = resource.split('/').filter(Boolean)[0];
    const operationName = `Microsoft.ApiManagement/service${collection ? `/${collection}` : ''}/write`;
    const event = {
      id: randomUUID(),
      topic: `/subscriptions/${service.spec.subscriptionId}`,
      subject: resourceUri,
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      eventTime: this.options.clock.now().toISOString(),
      data: {
        resourceUri,
        operationName,
        resourceProvider: 'Microsoft.ApiManagement',
        status: 'Succeeded',
        authorization: { scope: resourceUri, action: operationName },
      },
      dataVersion: '2',
      metadataVersion: '1',
    };
    this.emit(event);
    return service.configuration;
  }

  /** Records one request the management plane answered. */
  record(request: RequestRecord): void {
    this.requests.push(request);
    if (this.requests.length > 2 * REQUESTS_KEPT) this.requests.splice(0, this.requests.length - REQUESTS_KEPT);
    for (const key of [request.kind, `${request.kind}\u0000${request.service ?? ''}`]) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (request.service !== undefined) this.serviceRequests += 1;
  }

  /** Requests about one instance or another (every kind), since the sandbox started. */
  get instanceRequests(): number {
    return this.serviceRequests;
  }

  /** Requests of `kind` (for `service`) since the sandbox started, including those no longer kept in `requests`. */
  count(kind: string, service?: string): number {
    return this.counts.get(service === undefined ? kind : `${kind}\u0000${service}`) ?? 0;
  }

  resource(service: SandboxService): Record<string, unknown> {
    return toArmResource(service);
  }

  /** Starts a backup, restore or migration. Returns the operation, or an ARM error with its HTTP status. */
  startOperation(
    kind: SandboxOperationKind,
    service: SandboxService,
    body: OperationBody,
    request?: ActionRequest,
  ): { operation: Operation } | { status: number; error: ArmFailure } {
    if (isBusy(service.provisioningState)) {
      return {
        status: 409,
        error: {
          code: 'Conflict',
          message: `The API Management service '${service.spec.name}' is transitioning; another operation is in progress. Try again when it completes.`,
        },
      };
    }
    const refused = kind === 'migrate' ? migrationRefusal(service, body) : this.backupRestoreRefusal(service, body);
    if (refused) return refused;
    const now = this.options.clock.now().getTime();
    const key = service.id.toLowerCase();
    const failures = this.pendingFailures.get(key);
    const operation: Operation = {
      id: randomUUID(),
      kind,
      serviceKey: key,
      location: service.spec.location.replace(/\s+/g, '').toLowerCase(),
      subscriptionId: service.spec.subscriptionId,
      body,
      startedAt: now,
      endsAt: now + (this.options.durationMs?.(kind, service.spec) ?? 60_000),
      forcedFailure: failures?.shift() ?? this.options.failOperation?.(kind, service.spec),
      asyncStatus: (this.options.asyncStatusFor ?? ['restore']).includes(kind),
      request,
    };
    this.operations.set(operation.id, operation);
    this.unsettled.add(operation);
    service.provisioningState = this.options.runningState ?? 'Updating';
    return { operation };
  }

  private backupRestoreRefusal(service: SandboxService, body: OperationBody): { status: number; error: ArmFailure } | undefined {
    if (UNSUPPORTED_TIERS.includes(service.spec.sku.name)) {
      return {
        status: 400,
        error: { code: 'MethodNotAllowedInPricingTier', message: `Backup and restore are not supported in the ${service.spec.sku.name} tier.` },
      };
    }
    for (const field of ['storageAccount', 'containerName', 'backupName'] as const) {
      if (!body[field]) return { status: 400, error: { code: 'InvalidParameters', message: `'${field}' is required.` } };
    }
    // The request's own shape is checked before anything starts; whether the storage accepts it, only when it runs.
    const accessType = body.accessType ?? 'AccessKey';
    if (!ACCESS_TYPES.includes(accessType)) {
      return { status: 400, error: { code: 'InvalidParameters', message: `Unknown accessType '${accessType}'; use one of ${ACCESS_TYPES.join(', ')}.` } };
    }
    if (accessType === 'AccessKey' && !body.accessKey) {
      return { status: 400, error: { code: 'InvalidParameters', message: `'accessKey' is required when accessType is 'AccessKey'.` } };
    }
    if (accessType === 'UserAssignedManagedIdentity' && !body.clientId) {
      return { status: 400, error: { code: 'InvalidParameters', message: `'clientId' is required when accessType is 'UserAssignedManagedIdentity'.` } };
    }
    return undefined;
  }

  findOperation(id: string): Operation | undefined {
    return this.operations.get(id);
  }

  /** Completes every operation whose time has come: writes or reads the backup blob, frees the instance. */
  async settle(): Promise<void> {
    const now = this.options.clock.now().getTime();
    for (const operation of this.unsettled) {
      if (operation.endsAt > now) continue;
      // Mark first so a concurrent request does not settle twice.
      this.unsettled.delete(operation);
      operation.settled = { ok: true };
      const service = this.services.get(operation.serviceKey);
      if (!service) continue;
      // A failed migration leaves the instance on stv1, as ARM's rollback does.
      const result = operation.forcedFailure ? { ok: false as const, error: operation.forcedFailure } : await this.complete(operation, service);
      operation.settled = result;
      operation.settledAt = operation.endsAt;
      service.provisioningState = 'Succeeded';
      if (operation.request) this.emit(resourceActionEvent(service, ACTION_NAMES[operation.kind], operation.request, result.ok, new Date(operation.endsAt)));
    }
  }

  /** Whether a finished operation's result has expired (ARM keeps results a while, not for ever). */
  resultExpired(operation: Operation): boolean {
    const ttl = this.options.operationResultTtlMs ?? DEFAULT_OPERATION_RESULT_TTL_MS;
    return operation.settledAt !== undefined && this.options.clock.now().getTime() >= operation.settledAt + ttl;
  }

  private emit(event: Record<string, unknown>): void {
    for (const listener of this.changeListeners) listener(event);
  }

  private async complete(operation: Operation, service: SandboxService): Promise<{ ok: true } | { ok: false; error: ArmFailure }> {
    if (operation.kind === 'migrate') {
      service.platformVersion = 'stv2';
      if (operation.body.mode === 'NewIP') service.ipGeneration += 1;
      return { ok: true };
    }
    const access = this.checkStorageAccess(service, operation.body);
    if (access) return { ok: false, error: access };
    const container = this.container(operation.body);
    const blob = container.getBlockBlobClient(operation.body.backupName!);
    try {
      if (operation.kind === 'backup') {
        const content = JSON.stringify({
          format: SANDBOX_BACKUP_FORMAT,
          service: service.spec.name,
          sku: service.spec.sku,
          createdAt: new Date(operation.startedAt).toISOString(),
          configuration: service.configuration,
        });
        await blob.upload(content, Buffer.byteLength(content));
        return { ok: true };
      }
      const buffer = await blob.downloadToBuffer();
      const backup = JSON.parse(buffer.toString('utf8')) as { sku: { name: string }; createdAt: string; configuration: SandboxConfiguration };
      if (operation.startedAt - Date.parse(backup.createdAt) > RESTORE_WINDOW_MS) {
        return { ok: false, error: { code: 'InvalidParameters', message: 'Cannot restore: backup expired' } };
      }
      if (backup.sku.name !== service.spec.sku.name) {
        return {
          ok: false,
          error: { code: 'InvalidParameters', message: `Cannot restore: current SKU is '${service.spec.sku.name}', backup SKU is '${backup.sku.name}'` },
        };
      }
      service.configuration = structuredClone(backup.configuration);
      const tamper = this.tampers.get(service.id.toLowerCase());
      this.tampers.delete(service.id.toLowerCase());
      tamper?.(service.configuration);
      return { ok: true };
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      const message =
        status === 404
          ? `The backup '${operation.body.backupName}' was not found in container '${operation.body.containerName}'.`
          : `Storage request failed: ${ensureError(err).message.split('\n')[0]}`;
      return { ok: false, error: { code: status === 404 ? 'BackupNotFound' : 'StorageError', message } };
    }
  }

  private checkStorageAccess(service: SandboxService, body: OperationBody): ArmFailure | undefined {
    const account = this.options.storageAccounts[body.storageAccount!];
    if (!account) return { code: 'InvalidParameters', message: `Storage account '${body.storageAccount}' was not found.` };
    const identity = service.spec.identity ?? { type: 'SystemAssigned' };
    switch (body.accessType ?? 'AccessKey') {
      case 'SystemAssignedManagedIdentity':
        if (!identity.type.includes('SystemAssigned')) {
          return {
            code: 'InvalidParameters',
            message: `The API Management service '${service.spec.name}' has no system-assigned managed identity; enable it or use another access type.`,
          };
        }
        return undefined;
      case 'UserAssignedManagedIdentity':
        if (!body.clientId || !identity.userAssignedClientIds?.includes(body.clientId)) {
          return {
            code: 'InvalidParameters',
            message: `The user-assigned identity with client ID '${body.clientId ?? ''}' is not assigned to the API Management service '${service.spec.name}'.`,
          };
        }
        return undefined;
      case 'AccessKey':
        if (!body.accessKey || body.accessKey !== account.accessKey) {
          return { code: 'InvalidParameters', message: `The access key for storage account '${body.storageAccount}' is invalid.` };
        }
        return undefined;
      default:
        return { code: 'InvalidParameters', message: `Unknown accessType '${body.accessType}'.` };
    }
  }

  private container(body: OperationBody): ContainerClient {
    const account = this.options.storageAccounts[body.storageAccount!]!;
    return new ContainerClient(account.connectionString, body.containerName!);
  }
}

const MIGRATION_MODES = ['PreserveIp', 'NewIP'];
const ACCESS_TYPES = ['AccessKey', 'SystemAssignedManagedIdentity', 'UserAssignedManagedIdentity'];

/** What ARM answers a `migrateToStv2` it will not start. */
function migrationRefusal(service: SandboxService, body: OperationBody): { status: number; error: ArmFailure } | undefined {
  if (body.mode !== undefined && !MIGRATION_MODES.includes(body.mode)) {
    return { status: 400, error: { code: 'InvalidParameters', message: `Mode '${body.mode}' is not valid; use PreserveIp or NewIP.` } };
  }
  if (service.platformVersion.startsWith('stv2')) {
    return { status: 400, error: { code: 'NotSupported', message: `Service is already on ${service.platformVersion}.` } };
  }
  if (service.platformVersion !== 'stv1') {
    return { status: 400, error: { code: 'NotSupported', message: `Migration is not supported for platform '${service.platformVersion}'.` } };
  }
  return undefined;
}
