/** The APIM management operations apim-dr uses: read an instance, start a backup/restore/migration, check it by token. */
import type { ApiManagementClient, ApiManagementServiceBackupRestoreParameters, ApiManagementServiceResource } from '@azure/arm-apimanagement';
import type { FullOperationResponse } from '@azure/core-client';
import type { Clock } from '../clock';
import type { ServiceRef } from '../domain/resourceId';
import type { Inventory, ServiceSnapshot } from '../domain/service';
import { canHaveWorkspaces } from '../domain/workspaceTiers';
import { armErrorCode, isConflict, toApimError } from './armErrors';
import type { ClientFactory } from './clientFactory';
import { asyncOperationFailure, isReadableToken, operationRejection, unknownOutcome, type UnknownOutcome } from './operationAnswers';
import { retryAfterMs } from './retryAfter';
import { isAnswerLost } from './sendOnce';

export type OperationKind = 'backup' | 'restore' | 'migrate';

/** `migrateToStv2`'s modes, as ARM spells them. */
export type MigrationMode = 'PreserveIp' | 'NewIP';

export type StartResult =
  | { status: 'started'; token: string; retryAfterMs?: number }
  | { status: 'busy'; message: string }
  /** The POST was sent and its answer lost: ARM may run the operation. The caller adopts it, never resends. */
  | { status: 'unanswered'; message: string }
  /** ARM refused the POST outright (a 4xx other than 409 or 429: bad parameters, `NotSupported`, …): nothing runs, and retrying cannot help. */
  | { status: 'rejected'; code: string; message: string };

/**
 * `unknown`: ARM's answer about the operation is gone (its result expired: 404), unreadable (a token that does not
 * parse) or not to be had (5xx or no connection after the SDK's retries). The caller settles it from the facts: the
 * instance's state, and the backup blob or the verification.
 */
export type CheckResult =
  { status: 'running'; retryAfterMs?: number } | { status: 'succeeded' } | { status: 'failed'; code: string; message: string } | UnknownOutcome;

export class ApimOperations {
  constructor(private readonly clients: ClientFactory) {}

  async getService(ref: ServiceRef): Promise<ServiceSnapshot> {
    try {
      const resource = await this.client(ref).apiManagementService.get(ref.resourceGroup, ref.name);
      return toSnapshot(ref, resource);
    } catch (err) {
      throw toApimError(err, ref.id, 'read the instance');
    }
  }

  /** With the instance's tier known, a tier that cannot have workspaces is not asked; its `MethodNotAllowedInPricingTier` means none. */
  async countWorkspaceGateways(ref: ServiceRef, skuName?: string): Promise<number> {
    if (skuName !== undefined && !canHaveWorkspaces(skuName)) return 0;
    try {
      let count = 0;
      for await (const link of this.client(ref).apiManagementWorkspaceLinks.listByService(ref.resourceGroup, ref.name)) {
        count += link.gateways?.length ?? 1;
      }
      return count;
    } catch (err) {
      if (armErrorCode(err).code === 'MethodNotAllowedInPricingTier') return 0;
      throw toApimError(err, ref.id, 'list workspace links');
    }
  }

  async countInventory(ref: ServiceRef): Promise<Inventory> {
    const client = this.client(ref);
    const count = async (items: AsyncIterable<unknown>) => {
      let n = 0;
      for await (const _ of items) n += 1;
      return n;
    };
    try {
      const [apis, products, namedValues] = await Promise.all([
        count(client.api.listByService(ref.resourceGroup, ref.name)),
        count(client.product.listByService(ref.resourceGroup, ref.name)),
        count(client.namedValue.listByService(ref.resourceGroup, ref.name)),
      ]);
      return { apis, products, namedValues };
    } catch (err) {
      throw toApimError(err, ref.id, 'count the configuration');
    }
  }

  /** Sends the backup/restore POST; returns the SDK poller's serialized state as the resumable token. */
  async start(kind: 'backup' | 'restore', ref: ServiceRef, parameters: ApiManagementServiceBackupRestoreParameters): Promise<StartResult> {
    const capture = retryAfterCapture(this.clients.clock);
    try {
      const poller = await this.begin(kind, ref, parameters, { onResponse: capture.onResponse });
      return { status: 'started', token: poller.toString(), retryAfterMs: capture.value() };
    } catch (err) {
      const answered = startAnswer(err, capture.accepted());
      if (answered) return answered;
      throw toApimError(err, ref.id, kind === 'backup' ? 'start a backup' : 'start a restore');
    }
  }

  /** Sends the `migrateToStv2` POST; the token resumes its poller as for backups. */
  async startMigration(ref: ServiceRef, mode: MigrationMode): Promise<StartResult> {
    const capture = retryAfterCapture(this.clients.clock);
    try {
      const poller = await this.client(ref).apiManagementService.beginMigrateToStv2(ref.resourceGroup, ref.name, {
        parameters: { mode },
        onResponse: capture.onResponse,
      });
      return { status: 'started', token: poller.toString(), retryAfterMs: capture.value() };
    } catch (err) {
      const answered = startAnswer(err, capture.accepted());
      if (answered) return answered;
      throw toApimError(err, ref.id, 'migrate it to stv2');
    }
  }

  /** One status GET of a running operation, resumed from its token (with whatever token the credential holds now). */
  async check(kind: OperationKind, ref: ServiceRef, token: string): Promise<CheckResult> {
    if (!isReadableToken(token)) return { status: 'unknown', code: 'OperationTokenUnreadable', message: 'the operation token does not parse' };
    const capture = retryAfterCapture(this.clients.clock);
    let failure: { code: string; message: string } | undefined;
    const onResponse = (response: FullOperationResponse) => {
      capture.onResponse(response);
      failure ??= asyncOperationFailure(response.bodyAsText ?? undefined);
    };
    try {
      // Resuming sends no POST: the poller makes one GET on the operation's Azure-AsyncOperation or Location URL.
      const poller = await this.begin(kind, ref, PLACEHOLDER_PARAMETERS, { resumeFrom: token, onResponse });
      return poller.isDone() ? { status: 'succeeded' } : { status: 'running', retryAfterMs: capture.value() };
    } catch (err) {
      // `{status: "Failed", error}` from an Azure-AsyncOperation URL: the SDK throws a plain Error without ARM's code.
      if (failure) return { status: 'failed', ...failure };
      const unknown = unknownOutcome(err);
      if (unknown) return unknown;
      const { code, message, statusCode } = armErrorCode(err);
      // 4xx from the operation's Location means the operation itself failed; anything else is transient.
      if (isOperationFailure(statusCode)) return { status: 'failed', code, message };
      throw toApimError(err, ref.id, `check the ${kind === 'migrate' ? 'migration' : kind}`);
    }
  }

  private async begin(
    kind: OperationKind,
    ref: ServiceRef,
    parameters: ApiManagementServiceBackupRestoreParameters,
    options: { resumeFrom?: string; onResponse?: (response: FullOperationResponse) => void },
  ): Promise<{ isDone(): boolean; toString(): string }> {
    const service = this.client(ref).apiManagementService;
    if (kind === 'migrate') return service.beginMigrateToStv2(ref.resourceGroup, ref.name, options);
    return kind === 'backup'
      ? service.beginBackup(ref.resourceGroup, ref.name, parameters, options)
      : service.beginRestore(ref.resourceGroup, ref.name, parameters, options);
  }

  private client(ref: ServiceRef): ApiManagementClient {
    return this.clients.apim(ref.subscriptionId);
  }
}

/** What a failed start means when it is not an error to raise: busy, unanswered (ARM may run it) or rejected. */
function startAnswer(err: unknown, accepted: boolean): Exclude<StartResult, { status: 'started' }> | undefined {
  if (isConflict(err)) return { status: 'busy', message: armErrorCode(err).message };
  if (isAnswerLost(err)) return { status: 'unanswered', message: armErrorCode(err).message };
  // The SDK polls once right after the 202: when that GET fails, the operation runs and only its token is lost.
  if (accepted) return { status: 'unanswered', message: `ARM accepted the POST, then its status check failed: ${armErrorCode(err).message}` };
  return operationRejection(err);
}

/** A 4xx that is the request's or the operation's own failure, not throttling, a timeout or a conflict. */
function isOperationFailure(statusCode: number | undefined): boolean {
  return statusCode !== undefined && statusCode >= 400 && statusCode < 500 && statusCode !== 429 && statusCode !== 408 && statusCode !== 409;
}

// A resumed poller never sends the body; the SDK signature still wants one.
const PLACEHOLDER_PARAMETERS: ApiManagementServiceBackupRestoreParameters = { storageAccount: '-', containerName: '-', backupName: '-' };

function retryAfterCapture(clock: Clock) {
  let waitMs: number | undefined;
  let accepted = false;
  return {
    onResponse: (response: FullOperationResponse) => {
      if (response.request.method === 'POST' && response.status === 202) accepted = true;
      waitMs = retryAfterMs(response.headers.get('retry-after'), clock.now().getTime()) ?? waitMs;
    },
    value: () => waitMs,
    /** Whether ARM answered the POST with 202: the operation runs, whatever happened after. */
    accepted: () => accepted,
  };
}

export function toSnapshot(ref: ServiceRef, resource: ApiManagementServiceResource): ServiceSnapshot {
  const userAssigned = Object.values(resource.identity?.userAssignedIdentities ?? {});
  return {
    id: ref.id,
    name: resource.name ?? ref.name,
    location: resource.location,
    sku: { name: resource.sku.name, capacity: resource.sku.capacity },
    provisioningState: resource.provisioningState ?? 'Unknown',
    platformVersion: resource.platformVersion ?? 'undetermined',
    additionalLocations: (resource.additionalLocations ?? []).map((l) => l.location),
    virtualNetworkType: resource.virtualNetworkType ?? 'None',
    hostnames: (resource.hostnameConfigurations ?? []).map((h) => h.hostName),
    customProperties: resource.customProperties ?? {},
    identity: { type: resource.identity?.type ?? 'None', userAssignedClientIds: userAssigned.map((u) => u.clientId).filter((c): c is string => !!c) },
    developerPortalStatus: resource.developerPortalStatus,
    publicNetworkAccess: resource.publicNetworkAccess,
    zones: resource.zones ?? [],
    regions: [
      {
        location: resource.location,
        platformVersion: resource.platformVersion ?? 'undetermined',
        publicIPAddresses: resource.publicIPAddresses ?? [],
        subnetId: resource.virtualNetworkConfiguration?.subnetResourceId,
      },
      ...(resource.additionalLocations ?? []).map((l) => ({
        location: l.location,
        platformVersion: l.platformVersion ?? 'undetermined',
        publicIPAddresses: l.publicIPAddresses ?? [],
        subnetId: l.virtualNetworkConfiguration?.subnetResourceId,
      })),
    ],
  };
}
