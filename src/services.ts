/** Everything a function or CLI command needs, built from a parsed config and explicit dependencies. */
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ApimOperations } from './azure/apimOperations';
import { ArmHealth } from './azure/armHealth';
import { BackupCatalog } from './azure/catalog';
import { CatalogIndex } from './azure/catalogIndex';
import { ChangeLog } from './azure/changeLog';
import { DiscoveredFleet } from './azure/discoveredFleet';
import { DiscoveryStore } from './azure/discoveryStore';
import { IncidentStore } from './azure/incidentStore';
import { JsonBlobStore } from './azure/jsonBlobStore';
import { keepingOperationEvents, OperationEvents } from './telemetry/operationEvents';
import { approvalLog, migrationLog, restoreLog, type ApprovalLog, type MigrationLog, type RestoreLog } from './azure/recordLog';
import { createClientFactory, type ClientFactory } from './azure/clientFactory';
import { SweepRunStore } from './azure/sweepRunStore';
import { ArmConfigClient, type ArmConfigClientOptions } from './azure/snapshot/armConfigClient';
import { SnapshotStore } from './azure/snapshot/snapshotStore';
import type { ServiceRef } from './domain/resourceId';
import { systemClock, type Clock } from './clock';
import type { Config } from './config/schema';
import { consoleSink, createLogger, type Logger } from './telemetry/logger';
import { CONNECTION_STRING_SETTING, createAzureMonitorTelemetry, noTelemetry, type Telemetry } from './telemetry/azureMonitor';
import { createNotifier, type Notifier } from './telemetry/notifier';

export interface Services {
  /** The config with the instances discovery found merged in (see `fleet`). */
  readonly config: Config;
  /** Tag discovery's list, and the clients it refreshes with. */
  fleet: DiscoveredFleet;
  resourceGraph: ClientFactory['resourceGraph'];
  clock: Clock;
  settings: NodeJS.ProcessEnv;
  apim: ApimOperations;
  catalog: BackupCatalog;
  /** What the tick and the status read of the catalog: one blob, kept current as backups start and finish. */
  catalogIndex: CatalogIndex;
  changes: ChangeLog;
  restores: RestoreLog;
  migrations: MigrationLog;
  /** Restore and migration requests as the edge recorded them, with their approvals. */
  approvals: ApprovalLog;
  armHealth: ArmHealth;
  sweepRuns: SweepRunStore;
  snapshots: SnapshotStore;
  /** Raw ARM access to one instance's configuration resources (snapshots). */
  configClient(ref: ServiceRef, options?: ArmConfigClientOptions): ArmConfigClient;
  logger: Logger;
  /** Each operation's events, kept in the state container by whichever process ran it (`apim-dr logs`). */
  operationEvents: OperationEvents;
  notifier: Notifier;
  telemetry: Telemetry;
}

export interface ServiceOptions {
  settings: NodeJS.ProcessEnv;
  clock?: Clock;
  logger?: Logger;
  credential?: TokenCredential;
  extraCa?: string;
  httpClient?: HttpClient;
}

export function createServices(config: Config, options: ServiceOptions): Services {
  const clock = options.clock ?? systemClock;
  const clients = createClientFactory(config, { ...options, clock });
  const baseLogger = options.logger ?? createLogger(consoleSink, { app: 'apim-dr' }, () => clock.now());
  const connectionString = options.settings[CONNECTION_STRING_SETTING];
  // What apim-dr acts on lives where only the app writes; the backup container holds backups and their manifests.
  const state = new JsonBlobStore(clients.stateContainer());
  // The CLI's own log goes nowhere: an operation's events are kept in the state container whichever process runs it.
  const operationEvents = new OperationEvents(
    state,
    () => clock.now(),
    (message) => baseLogger.log('warn', message),
  );
  const logger = keepingOperationEvents(baseLogger, operationEvents);
  const fleet = new DiscoveredFleet(config, new DiscoveryStore(clients.stateContainer()), clock);
  const catalog = new BackupCatalog(clients.container(), state, clients.blobService());
  return {
    get config() {
      return fleet.config;
    },
    fleet,
    resourceGraph: () => clients.resourceGraph(),
    clock,
    settings: options.settings,
    apim: new ApimOperations(clients),
    catalog,
    catalogIndex: new CatalogIndex(clients.stateContainer(), catalog, clock),
    changes: new ChangeLog(state),
    restores: restoreLog(state),
    migrations: migrationLog(state),
    approvals: approvalLog(state),
    armHealth: new ArmHealth(state),
    sweepRuns: new SweepRunStore(clients.stateContainer()),
    // Snapshots are apim-dr's own documents: kept where only the app writes, out of reach of APIM's identities.
    snapshots: new SnapshotStore(clients.stateContainer()),
    configClient: (ref, clientOptions) => new ArmConfigClient(clients.apim(ref.subscriptionId), config.arm.endpoint, ref, clientOptions),
    logger,
    operationEvents,
    notifier: createNotifier(config.notifications.webhooks, options.settings, new IncidentStore(state), logger),
    telemetry: connectionString ? createAzureMonitorTelemetry({ connectionString, credential: clients.credential, policies: clients.policies }) : noTelemetry,
  };
}
