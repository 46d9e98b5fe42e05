/** Starts the whole sandbox: Azurite, the HTTPS APIM management plane, sample instances, and a config for them. */
import { ContainerClient } from '@azure/storage-blob';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../src/clock';
import { DEFAULT_APP_SETTINGS } from '../../src/config/appSettings';
import { HTTP_AUTH_SETTING } from '../../src/http/caller';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { ApimSandbox, type SandboxOptions } from './ApimSandbox';
import { startArmServer } from './armServer';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from './azurite';
import { createLoopbackCertificate } from './certificate';
import type { SandboxServiceSpec } from './model';

export const SANDBOX_CONTAINER = 'apim-backups';
export const SANDBOX_STATE_CONTAINER = 'apim-dr-state';
export const SANDBOX_STORAGE_SETTING = 'APIM_DR_SANDBOX_STORAGE';
export const SANDBOX_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';

/** Sample fleet: a Premium primary, its Premium standby in another region, and a Developer instance still on stv1. */
export const SAMPLE_SERVICES: SandboxServiceSpec[] = [
  {
    subscriptionId: SANDBOX_SUBSCRIPTION,
    resourceGroup: 'rg-apim-weu',
    name: 'contoso-apim-weu',
    location: 'West Europe',
    sku: { name: 'Premium', capacity: 2 },
    hostnames: ['api.contoso.example'],
    configuration: { apis: ['orders', 'payments', 'catalog'], products: ['starter', 'unlimited'], namedValues: ['backend-url', 'tenant-id'] },
  },
  {
    subscriptionId: SANDBOX_SUBSCRIPTION,
    resourceGroup: 'rg-apim-neu',
    name: 'contoso-apim-neu',
    location: 'North Europe',
    sku: { name: 'Premium', capacity: 1 },
    hostnames: ['api.contoso.example'],
    configuration: { apis: [], products: ['starter'], namedValues: [] },
  },
  {
    subscriptionId: SANDBOX_SUBSCRIPTION,
    resourceGroup: 'rg-apim-dev',
    name: 'contoso-apim-dev',
    location: 'West Europe',
    sku: { name: 'Developer', capacity: 1 },
    platformVersion: 'stv1',
    configuration: { apis: ['echo'], products: ['starter'], namedValues: ['debug'] },
  },
];

export interface SandboxStartOptions {
  clock?: Clock;
  services?: SandboxServiceSpec[];
  durationMs?: SandboxOptions['durationMs'];
  retryAfterSeconds?: number;
  failOperation?: SandboxOptions['failOperation'];
  operationResultTtlMs?: number;
  pageSize?: number;
  asyncStatusFor?: SandboxOptions['asyncStatusFor'];
  runningState?: string;
}

export interface RunningSandbox {
  apim: ApimSandbox;
  armEndpoint: string;
  caPem: string;
  caFile: string;
  blobEndpoint: string;
  connectionString: string;
  /** App settings the generated config refers to. */
  settings: Record<string, string>;
  container(): ContainerClient;
  /** apim-dr's state container (records, change logs, incidents): the app's alone. */
  stateContainer(): ContainerClient;
  /** An apim-dr config protecting every sandbox instance (JSON, as a user would write it). */
  config(overrides?: { schedule?: string; services?: unknown[]; defaults?: Record<string, unknown> }): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxStartOptions = {}): Promise<RunningSandbox> {
  const clock = options.clock ?? systemClock;
  const azurite = await startAzurite();
  const certificate = await createLoopbackCertificate();
  const apim = new ApimSandbox({
    clock,
    storageAccounts: { [AZURITE_ACCOUNT]: { connectionString: azurite.connectionString, accessKey: AZURITE_KEY } },
    durationMs: options.durationMs ?? (() => 45_000),
    retryAfterSeconds: options.retryAfterSeconds,
    failOperation: options.failOperation,
    operationResultTtlMs: options.operationResultTtlMs,
    pageSize: options.pageSize,
    asyncStatusFor: options.asyncStatusFor,
    runningState: options.runningState,
  });
  for (const spec of options.services ?? SAMPLE_SERVICES) apim.addService(structuredClone(spec));
  const arm = await startArmServer(apim, certificate);
  const container = () => new ContainerClient(azurite.connectionString, SANDBOX_CONTAINER);
  const stateContainer = () => new ContainerClient(azurite.connectionString, SANDBOX_STATE_CONTAINER);
  await container().createIfNotExists();
  await stateContainer().createIfNotExists();

  const dir = mkdtempSync(join(tmpdir(), 'apim-dr-sandbox-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, certificate.cert);

  return {
    apim,
    armEndpoint: arm.endpoint,
    caPem: certificate.cert,
    caFile,
    blobEndpoint: azurite.blobEndpoint,
    connectionString: azurite.connectionString,
    // The sandbox runs on loopback with HTTP authentication off, as Core Tools does.
    settings: { ...DEFAULT_APP_SETTINGS, [HTTP_AUTH_SETTING]: 'none', [SANDBOX_STORAGE_SETTING]: azurite.connectionString },
    container,
    stateContainer,
    config(overrides = {}) {
      const specs = apim.listServices().map((s) => s.spec);
      const primary = specs.find((s) => s.name === 'contoso-apim-weu');
      const standby = specs.find((s) => s.name === 'contoso-apim-neu');
      return {
        storage: {
          account: AZURITE_ACCOUNT,
          container: SANDBOX_CONTAINER,
          stateContainer: SANDBOX_STATE_CONTAINER,
          endpoint: azurite.blobEndpoint,
          connectionStringSetting: SANDBOX_STORAGE_SETTING,
        },
        arm: { endpoint: arm.endpoint, caFile },
        auth: 'sandbox',
        // A daily schedule with an RPO it can hold (a day, plus room for a backup and a retry).
        defaults: { schedule: overrides.schedule ?? '0 0 2 * * *', rpo: 'P1DT1H', pollInterval: 'PT15S', ...overrides.defaults },
        services:
          overrides.services ??
          specs.map((s) => ({
            id: canonicalServiceId(s.subscriptionId, s.resourceGroup, s.name),
            ...(s === primary && standby
              ? { standbys: [{ id: canonicalServiceId(standby.subscriptionId, standby.resourceGroup, standby.name), sync: 'manual' }] }
              : {}),
          })),
      };
    },
    async close() {
      await arm.close();
      await azurite.close();
      // The CA file's folder is this sandbox's alone: nothing of it outlives the run.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
