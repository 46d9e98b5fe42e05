/** Everything a function or CLI command needs, built from a parsed config and explicit dependencies. */
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { ApimOperations } from './azure/apimOperations';
import { ArmHealth } from './azure/armHealth';
import { BackupCatalog } from './azure/catalog';
import { ChangeLog } from './azure/changeLog';
import { IncidentStore } from './azure/incidentStore';
import { migrationLog, restoreLog, type MigrationLog, type RestoreLog } from './azure/recordLog';
import { createClientFactory } from './azure/clientFactory';
import { ArmConfigClient, type ArmConfigClientOptions } from './azure/snapshot/armConfigClient';
import { SnapshotStore } from './azure/snapshot/snapshotStore';
import type { ServiceRef } from './domain/resourceId';
import { systemClock, type Clock } from './clock';
import type { Config } from './config/schema';
import { consoleSink, createLogger, type Logger } from './telemetry/logger';
import { CONNECTION_STRING_SETTING, createAzureMonitorTelemetry, noTelemetry, type Telemetry } from './telemetry/azureMonitor';
import { createNotifier, type Notifier } from './telemetry/notifier';

export interface Services {
  config: Config;
  clock: Clock;
  settings: NodeJS.ProcessEnv;
  apim: ApimOperations;
  catalog: BackupCatalog;
  changes: ChangeLog;
  restores: RestoreLog;
  migrations: MigrationLog;
  armHealth: ArmHealth;
  snapshots: SnapshotStore;
  /** Raw ARM access to one instance's configuration resources (snapshots). */
  configClient(ref: ServiceRef, options?: ArmConfigClientOptions): ArmConfigClient;
  logger: Logger;
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
  const logger = options.logger ?? createLogger(consoleSink, { app: 'apim-dr' }, () => clock.now());
  const connectionString = options.settings[CONNECTION_STRING_SETTING];
  return {
    config,
    clock,
    settings: options.settings,
    apim: new ApimOperations(clients),
    catalog: new BackupCatalog(clients.container(), clients.blobService()),
    changes: new ChangeLog(clients.container()),
    restores: restoreLog(clients.container()),
    migrations: migrationLog(clients.container()),
    armHealth: new ArmHealth(clients.container()),
    snapshots: new SnapshotStore(clients.container()),
    configClient: (ref, clientOptions) => new ArmConfigClient(clients.apim(ref.subscriptionId), config.arm.endpoint, ref, clientOptions),
    logger,
    notifier: createNotifier(config.notifications.webhooks, options.settings, new IncidentStore(clients.container()), logger),
    telemetry: connectionString ? createAzureMonitorTelemetry({ connectionString, credential: clients.credential, policies: clients.policies }) : noTelemetry,
  };
}
