/**
 * Offline checks of infra/ and azure.yaml against the code: no Bicep compiler is available here, so these read
 * the Bicep as text and check what a reviewer would: settings, roles, names, runtime and the absence of secrets.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_APP_SETTINGS } from '../../src/config/appSettings';
import { DR_ROLES, HTTP_AUTH_SETTING } from '../../src/http/caller';
import { AUTH_CLIENT_ID_SETTING, AUTH_TENANT_SETTING } from '../../src/http/entraToken';
import { CONFIG_SETTING, parseConfig } from '../../src/config/loadConfig';
import { configSchema } from '../../src/config/schema';
import { classifyEvent } from '../../src/domain/changeEvents';
import { BACKUP_STATES } from '../../src/domain/manifest';
import { loadFunctions } from '../../src/local/LocalHost';
import { triggerOf, type Registration } from '../../src/local/functionsCore';
import { STAGING_DIR } from '../../scripts/package/deployPackage';
import { bicepFiles, objectKeys, paramDefault, readInfra, REPO, resources } from './bicep';

/** Built-in roles as Azure defines them (Azure built-in roles reference); the Bicep must use exactly these. */
const BUILT_IN_ROLES: Record<string, { name: string; id: string }> = {
  apiManagementServiceOperatorRole: { name: 'API Management Service Operator Role', id: 'e022efe7-f5ba-4159-bbe4-b44f577e9b61' },
  storageBlobDataContributor: { name: 'Storage Blob Data Contributor', id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' },
  storageBlobDataOwner: { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' },
  storageQueueDataContributor: { name: 'Storage Queue Data Contributor', id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' },
  storageTableDataContributor: { name: 'Storage Table Data Contributor', id: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' },
  monitoringMetricsPublisher: { name: 'Monitoring Metrics Publisher', id: '3913510d-42f4-4e42-8a64-420c390055eb' },
  durableTaskDataContributor: { name: 'Durable Task Data Contributor', id: '0ad04412-c4d5-4796-b79c-f76d14c8d402' },
};

const main = readInfra('main.bicep');
const functionApp = readInfra('app/function.bicep');
const parameters = JSON.parse(readInfra('main.parameters.json')) as { parameters: Record<string, { value: unknown }> };
const hostJson = JSON.parse(readFileSync(join(REPO, 'host.json'), 'utf8')) as {
  extensionBundle: { version: string };
  extensions: { durableTask: { hubName: string; storageProvider: { type: string; connectionStringName: string } } };
};
const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  engines: { node: string };
  main: string;
  scripts: Record<string, string>;
};
type Hook = { shell: string; run: string };
const azureYaml = parseYaml(readFileSync(join(REPO, 'azure.yaml'), 'utf8')) as {
  infra: { provider: string; path: string; module: string };
  services: Record<
    string,
    { project: string; language: string; host: string; remoteBuild: boolean; dist: string; hooks: { prepackage: { posix: Hook; windows: Hook } } }
  >;
  hooks: { postdeploy: { posix: { run: string } } };
};

const settingNames = (text: string) => [...text.matchAll(/%([A-Za-z_][\w]*)%/g)].map((m) => m[1]!);

describe('infra: app settings', () => {
  const apimDrSettings = objectKeys(main, 'apimDrSettings:');
  const hostSettings = objectKeys(functionApp, 'var hostSettings =');

  it('sets every app setting the code and host.json read, and nothing apim-dr does not read', () => {
    const read = new Set([
      CONFIG_SETTING,
      HTTP_AUTH_SETTING,
      AUTH_TENANT_SETTING,
      AUTH_CLIENT_ID_SETTING,
      ...Object.keys(DEFAULT_APP_SETTINGS),
      ...settingNames(JSON.stringify(hostJson)),
    ]);
    expect(new Set(apimDrSettings)).toEqual(read);
  });

  it("passes apimDrSettings to the site as they are, next to the host's own keyless settings", () => {
    expect(functionApp).toMatch(/properties: union\(hostSettings, [^\n]*, apimDrSettings\)\n/);
    expect(hostSettings).toEqual(
      expect.arrayContaining([
        'AzureWebJobsStorage__accountName',
        'AzureWebJobsStorage__credential',
        'AzureWebJobsStorage__clientId',
        'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
      ]),
    );
    expect(functionApp).toMatch(/AzureWebJobsStorage__credential: 'managedidentity'/);
    expect(hostSettings).not.toContain('AzureWebJobsStorage');
  });

  it('defaults the timer schedules to what the code and local.settings.sample.json use', () => {
    expect(paramDefault(main, 'tickSchedule')).toBe(`'${DEFAULT_APP_SETTINGS['APIM_DR_TICK_SCHEDULE']}'`);
    expect(paramDefault(main, 'sweepSchedule')).toBe(`'${DEFAULT_APP_SETTINGS['APIM_DR_SWEEP_SCHEDULE']}'`);
  });

  it('builds APIM_DR_CONFIG from the parameters file into a config apim-dr accepts', () => {
    const keys = objectKeys(main, 'var apimDrConfig =');
    const schemaKeys = Object.keys(configSchema.shape);
    expect(keys.filter((k) => !schemaKeys.includes(k))).toEqual([]);
    expect(main).toMatch(/services: services\n/);
    expect(main).toMatch(/defaults: defaults\n/);
    expect(main).toMatch(/APIM_DR_CONFIG: string\(apimDrConfig\)/);

    // What the deployment evaluates apimDrConfig to, with the resource values it fills in.
    const deployed = {
      storage: {
        account: 'stbakabc123',
        container: paramDefault(main, 'backupContainerName')!.replace(/'/g, ''),
        endpoint: 'https://stbakabc123.blob.core.windows.net/',
      },
      arm: { endpoint: 'https://management.azure.com/' },
      auth: 'managed-identity',
      identity: { clientId: '6f1c2b3a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' },
      defaults: parameters.parameters['defaults']!.value,
      services: parameters.parameters['services']!.value,
    };
    const config = parseConfig(deployed, 'infra/main.parameters.json');
    expect(config.services.length).toBeGreaterThan(0);
    expect(config.storage.endpoint).toBe('https://stbakabc123.blob.core.windows.net');
  });
});

/** The role an assignment grants: a built-in role's key, or the custom role's symbol. */
function roleOf(body: string): string | undefined {
  return /roleDefinition\(builtInRoles\.(\w+)\)/.exec(body)?.[1] ?? /roleDefinitionId: (\w+)\.id/.exec(body)?.[1];
}

describe('infra: permissions', () => {
  const assignments = bicepFiles().flatMap((file) =>
    resources(file.text)
      .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
      .map((r) => ({ ...r, file: file.path })),
  );

  it('declares the built-in roles by their real IDs', () => {
    const roles = readInfra('app/roles.bicep');
    const declared = Object.fromEntries([...roles.matchAll(/^\s+(\w+): '([0-9a-f-]{36})'$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(declared).toEqual(Object.fromEntries(Object.entries(BUILT_IN_ROLES).map(([key, role]) => [key, role.id])));
  });

  it('uses no role ID outside roles.bicep', () => {
    for (const file of bicepFiles().filter((f) => !f.path.endsWith('roles.bicep'))) {
      expect(file.text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [], file.path).toEqual([]);
    }
  });

  it('assigns exactly the roles the design calls for', () => {
    const granted = assignments.map((a) => `${a.file}: ${roleOf(a.body)}`).sort();
    expect(granted).toEqual(
      [
        'infra/app/apimAccess.bicep: apiManagementServiceOperatorRole',
        'infra/app/backupStorage.bicep: storageBlobDataContributor',
        'infra/app/backupStorage.bicep: storageBlobDataOwner',
        'infra/app/durableTaskScheduler.bicep: durableTaskDataContributor',
        'infra/app/hostStorage.bicep: storageBlobDataOwner',
        'infra/app/hostStorage.bicep: storageQueueDataContributor',
        'infra/app/hostStorage.bicep: storageTableDataContributor',
        'infra/app/monitoring.bicep: monitoringMetricsPublisher',
        'infra/app/networkJoin.bicep: joinRole',
        'infra/app/networkJoin.bicep: joinRole',
      ].sort(),
    );
  });

  it.each(['scope', 'principalType', 'name', 'comment'])('gives every role assignment its %s as required', (what) => {
    expect(assignments.length).toBeGreaterThanOrEqual(8);
    for (const a of assignments) {
      const scope = /^\s*scope: ([\w[\]]+)$/m.exec(a.body)?.[1];
      const role = roleOf(a.body);
      const principal = /principalId: (\w+)$/m.exec(a.body)?.[1];
      const where = `${a.file} ${a.symbol}`;
      if (what === 'scope') expect(scope, where).toBeDefined();
      // guid(scope, principal, role): stable across deployments, unique per grant.
      const roleId = role === 'joinRole' ? 'joinRole.id' : `builtInRoles.${role}`;
      if (what === 'name') expect(a.body, where).toContain(`name: guid(${scope}.id, ${principal}, ${roleId})`);
      if (what === 'principalType') expect(a.body, where).toMatch(/principalType: 'ServicePrincipal'/);
      // Each grant says why it is needed, on the line above it.
      if (what === 'comment') expect(a.commentAbove, where).toMatch(/^\/\/ \S/);
    }
  });

  it('grants network join only for VNet migrations: on the subnets and IPs named, by a custom role with the two join actions, none by default', () => {
    const networkJoin = readInfra('app/networkJoin.bicep');
    expect(paramDefault(main, 'networkJoinScopes')).toBe('[]');
    expect(parameters.parameters['networkJoinScopes']!.value).toEqual([]);
    expect(main).toMatch(/module networkJoin 'app\/networkJoin.bicep' = \[\n\s+for group in networkJoinGroups:/);
    const actions = /actions: \[([^\]]*)\]/
      .exec(networkJoin)![1]!
      .split(',')
      .map((a) => a.trim().replace(/'/g, ''));
    expect(actions).toEqual(['Microsoft.Network/virtualNetworks/subnets/join/action', 'Microsoft.Network/publicIPAddresses/join/action']);
    expect(networkJoin).toMatch(/notActions: \[\]/);
    expect(networkJoin).toMatch(/assignableScopes: \[resourceGroup\(\)\.id\]/);
    expect(networkJoin).toMatch(/scope: subnets\[i\]/);
    expect(networkJoin).toMatch(/scope: publicIps\[i\]/);
  });

  it("grants the APIM Operator role on each instance, in the instance's own subscription and resource group", () => {
    expect(main).toMatch(/scope: resourceGroup\(split\(instance\.id, '\/'\)\[2\], split\(instance\.id, '\/'\)\[4\]\)/);
    expect(main).toMatch(/module apimAccess 'app\/apimAccess.bicep' = \[\n\s+for instance in instances:/);
  });
});

describe('infra: Durable Functions backend', () => {
  const scheduler = readInfra('app/durableTaskScheduler.bicep');
  const hostStorage = readInfra('app/hostStorage.bicep');
  const provider = hostJson.extensions.durableTask.storageProvider;

  it('names the Durable Task Scheduler in host.json, with an extension bundle that has it', () => {
    expect(provider.type).toBe('azureManaged');
    const [lower, upper] = /^\[([\d.]+), ([\d.]+)\)$/.exec(hostJson.extensionBundle.version)!.slice(1);
    const [major, minor] = lower!.split('.').map(Number);
    expect(major).toBe(4);
    expect(minor).toBeGreaterThanOrEqual(32);
    expect(upper).toBe('5.0.0');
  });

  it('defaults to the scheduler, and lets the parameters file choose the Azure Storage backend instead', () => {
    expect(paramDefault(main, 'durableBackend')).toBe("'durable-task-scheduler'");
    expect(main).toMatch(/@allowed\(\['durable-task-scheduler', 'azure-storage'\]\)\nparam durableBackend string/);
    expect(parameters.parameters['durableBackend']!.value).toBe('${APIM_DR_DURABLE_BACKEND=durable-task-scheduler}');
    expect(main).toMatch(/module scheduler 'app\/durableTaskScheduler.bicep' = if \(onScheduler\)/);
    expect(main).toMatch(/var onScheduler = durableBackend == 'durable-task-scheduler'/);
  });

  it('creates a Consumption scheduler that accepts callers by role, and the task hub the app runs in', () => {
    const [schedulerResource, hub] = resources(scheduler).filter((r) => r.type.startsWith('Microsoft.DurableTask/'));
    expect(schedulerResource?.type).toBe('Microsoft.DurableTask/schedulers');
    expect(schedulerResource?.body).toMatch(/sku: \{ name: 'Consumption' \}/);
    expect(schedulerResource?.body).toMatch(/ipAllowlist: \['0\.0\.0\.0\/0'\]/);
    expect(hub?.type).toBe('Microsoft.DurableTask/schedulers/taskHubs');
    expect(hub?.body).toMatch(/name: taskHubName/);
    // One name for the task hub: the one host.json takes from APIM_DR_TASK_HUB.
    expect(main).toMatch(/APIM_DR_TASK_HUB: taskHubName/);
    expect(main).toMatch(/taskHubName: taskHubName/);
  });

  it('gives the app the scheduler connection host.json names, keyless, with its identity', () => {
    expect(objectKeys(functionApp, 'var schedulerSettings =')).toEqual([provider.connectionStringName]);
    expect(functionApp).toContain(
      `${provider.connectionStringName}: 'Endpoint=\${durableTaskSchedulerEndpoint};Authentication=ManagedIdentity;ClientID=\${identityClientId}'`,
    );
    expect(main).toMatch(/durableTaskSchedulerEndpoint: onScheduler \? scheduler!\.outputs\.endpoint : ''/);
  });

  it('moves the task hub to host storage with the Azure Storage backend, and grants queues and tables only then', () => {
    const overrides = objectKeys(functionApp, 'var storageBackendSettings =');
    expect(overrides).toEqual([
      'AzureFunctionsJobHost__extensions__durableTask__storageProvider__type',
      'AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName',
    ]);
    expect(functionApp).toMatch(/storageProvider__type: 'AzureStorage'/);
    expect(functionApp).toMatch(/storageProvider__connectionStringName: 'AzureWebJobsStorage'/);
    expect(functionApp).toMatch(
      /properties: union\(hostSettings, durableBackend == 'durable-task-scheduler' \? schedulerSettings : storageBackendSettings, apimDrSettings\)/,
    );
    expect(main).toMatch(/durableState: !onScheduler/);
    for (const symbol of ['queueContributor', 'tableContributor']) {
      expect(hostStorage, symbol).toMatch(new RegExp(`resource ${symbol} '[^']+' = if \\(durableState\\)`));
    }
    // The host itself always needs its storage, whichever backend holds the task hub.
    expect(objectKeys(functionApp, 'var hostSettings =')).toContain('AzureWebJobsStorage__accountName');
  });

  it('runs the app, its host storage and its scheduler in one region, the backups there too by default', () => {
    expect(paramDefault(main, 'backupLocation')).toBe('location');
    expect(parameters.parameters['backupLocation']).toBeUndefined();
    for (const module of ['identity', 'hostStorage', 'scheduler', 'functionApp']) {
      const at = main.indexOf(`module ${module} `);
      expect(main.slice(at, main.indexOf('\n}\n', at)), module).toMatch(/location: location/);
    }
  });
});

describe('infra: Entra ID in front of the HTTP API', () => {
  const registration = readInfra('app/appRegistration.bicep');
  const [auth] = resources(functionApp).filter((r) => r.type === 'Microsoft.Web/sites/config' && /name: 'authsettingsV2'/.test(r.body));

  it('requires authentication on the Function App and answers 401 without a valid token', () => {
    expect(auth).toBeDefined();
    expect(auth!.body).toMatch(/platform: \{ enabled: true \}/);
    expect(auth!.body).toMatch(/requireAuthentication: true/);
    expect(auth!.body).toMatch(/unauthenticatedClientAction: 'Return401'/);
    expect(auth!.body).not.toMatch(/AllowAnonymous|RedirectToLoginPage/);
  });

  it("accepts tokens for apim-dr's app registration only, issued by this tenant", () => {
    expect(auth!.body).toMatch(/clientId: apiClientId\n/);
    expect(auth!.body).toMatch(/allowedAudiences: \[apiClientId, 'api:\/\/\$\{apiClientId\}'\]/);
    expect(auth!.body).toMatch(/openIdIssuer: '\$\{environment\(\)\.authentication\.loginEndpoint\}\$\{tenant\(\)\.tenantId\}\/v2\.0'/);
    expect(main).toMatch(/apiClientId: httpApiClientId/);
    expect(main).toMatch(/var httpApiClientId = empty\(apiClientId\) \? appRegistration!\.outputs\.clientId : apiClientId/);
    expect(parameters.parameters['apiClientId']!.value).toBe('${APIM_DR_API_CLIENT_ID}');
    expect(main).toMatch(/output APIM_DR_API_CLIENT_ID string = httpApiClientId/);
  });

  it("leaves out only Event Grid's webhook, which keeps the extension's system key", () => {
    expect(/excludedPaths: \[([^\]]*)\]/.exec(auth!.body)?.[1]).toBe("'/runtime/webhooks/eventgrid'");
  });

  it('declares exactly the app roles the routes check, each enabled for users and apps, with a stable id', () => {
    const values = [...registration.matchAll(/\{ value: '([^']+)'/g)].map((m) => m[1]);
    expect(values).toEqual([...DR_ROLES]);
    expect(registration).toMatch(/id: guid\(uniqueName, role\.value\)/);
    expect(registration).toMatch(/allowedMemberTypes: \['User', 'Application'\]/);
    expect(registration).toMatch(/appRoleAssignmentRequired: true/);
    expect(registration).toMatch(/^extension microsoftGraphV1$/m);
    const config = JSON.parse(readInfra('bicepconfig.json')) as { extensions: Record<string, string> };
    expect(config.extensions['microsoftGraphV1']).toMatch(/^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:/);
  });

  it('turns the role checks on in the app: HTTP authentication entra-id', () => {
    expect(main).toMatch(/APIM_DR_HTTP_AUTH: 'entra-id'/);
  });
});

describe('infra: keyless', () => {
  const files = [
    ...bicepFiles(),
    { path: 'infra/main.parameters.json', text: readInfra('main.parameters.json') },
    { path: 'azure.yaml', text: readFileSync(join(REPO, 'azure.yaml'), 'utf8') },
  ];

  it.each([
    ['a storage key or SAS', /AccountKey=|SharedAccessSignature|[?&]sig=|listKeys?\(|listAccountSas|listServiceSas/i],
    ['a secure parameter (a secret passed in)', /@secure\(\)/],
    ['an instrumentation key', /InstrumentationKey/],
    ['a password or client secret', /password|clientSecret|client_secret/i],
    ['a key-based config setting', /keySetting|connectionStringSetting|"AccessKey"/],
  ])('contains no secret: %s', (_what, pattern) => {
    for (const file of files) expect(file.text, file.path).not.toMatch(pattern);
  });

  it('turns shared key access off on every storage account and local auth off on Application Insights', () => {
    const accounts = bicepFiles().flatMap((f) => resources(f.text).filter((r) => r.type === 'Microsoft.Storage/storageAccounts'));
    expect(accounts.length).toBe(2);
    for (const account of accounts) expect(account.body).toMatch(/allowSharedKeyAccess: false/);
    expect(readInfra('app/monitoring.bicep')).toMatch(/DisableLocalAuth: true/);
  });

  it('keeps blob CORS off, soft delete and versioning on, on the backup account', () => {
    const backup = readInfra('app/backupStorage.bicep');
    expect(backup).toMatch(/cors: \{ corsRules: \[\] \}/);
    expect(backup).toMatch(/isVersioningEnabled: true/);
    expect(backup).toMatch(/deleteRetentionPolicy: \{ enabled: true/);
  });

  it('lets the lifecycle rule reach only catalogued blobs: one rule per backup state, filtered on the state tag', () => {
    const backup = readInfra('app/backupStorage.bicep');
    const states = /var catalogStates = \[([^\]]*)\]/
      .exec(backup)![1]!
      .split(',')
      .map((s) => s.trim().replace(/'/g, ''));
    expect(states).toEqual([...BACKUP_STATES]);
    expect(backup).toMatch(/blobIndexMatch: \[\{ name: 'state', op: '==', value: state \}\]/);
    const days = Number(/daysAfterCreationGreaterThan: (\d+) \} \}\n/.exec(backup)?.[1]);
    expect(days).toBeGreaterThan(30);
  });
});

describe('infra: agrees with the code', () => {
  let functions: Map<string, Registration>;
  beforeAll(async () => {
    functions = await loadFunctions();
  });

  it('deploys the project as a TypeScript Function App whose tag azd matches', () => {
    expect(azureYaml.infra).toEqual({ provider: 'bicep', path: 'infra', module: 'main' });
    const [name, service] = Object.entries(azureYaml.services)[0]!;
    expect(service).toMatchObject({ project: '.', language: 'ts', host: 'function' });
    expect(functionApp).toContain(`'azd-service-name': '${name}'`);
    expect(packageJson.main).toBe('dist/functions/index.js');
  });

  it('ships the locally built package that npm run package stages, with no remote build', () => {
    const service = Object.values(azureYaml.services)[0]!;
    expect(service.remoteBuild).toBe(false);
    expect(service.dist).toBe(STAGING_DIR);
    expect(service.hooks.prepackage.posix.run).toBe('npm run package');
    expect(service.hooks.prepackage.windows.run).toBe('npm run package');
    expect(packageJson.scripts['package']).toMatch(/scripts\/package\.ts/);
  });

  it('runs a Node version package.json supports', () => {
    const deployed = Number(paramDefault(functionApp, 'nodeVersion')!.replace(/'/g, ''));
    const minimum = Number(/>=\s*(\d+)/.exec(packageJson.engines.node)![1]);
    expect(deployed).toBeGreaterThanOrEqual(minimum);
    expect(functionApp).toMatch(/runtime: \{ name: 'node', version: nodeVersion \}/);
  });

  it('takes the task hub from a setting the Bicep sets', () => {
    const [hub] = settingNames(hostJson.extensions.durableTask.hubName);
    expect(objectKeys(main, 'apimDrSettings:')).toContain(hub);
  });

  it('subscribes the Event Grid function that is registered, to event types the code treats as changes', () => {
    const grid = readInfra('app/eventGrid.bicep');
    const functionName = paramDefault(grid, 'functionName')!.replace(/'/g, '');
    expect(triggerOf(functions.get(functionName)!).type).toBe('eventGridTrigger');
    const types = [...grid.matchAll(/'(Microsoft\.Resources\.Resource\w+Success)'/g)].map((m) => m[1]!);
    expect(types.length).toBe(3);
    const apim = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one';
    for (const type of types) {
      const event = {
        id: type,
        eventType: type,
        subject: `${apim}/apis/echo`,
        eventTime: '2026-11-22T10:00:00Z',
        data: {
          resourceUri: `${apim}/apis/echo`,
          operationName: type.endsWith('ActionSuccess') ? 'Microsoft.ApiManagement/service/apis/releases/action' : `Microsoft.ApiManagement/service/apis/write`,
        },
      };
      expect(classifyEvent(event, new Date('2026-11-22T10:00:01Z')).kind, type).toBe('change');
    }
  });

  it('alerts on events the code emits', () => {
    const monitoring = readInfra('app/monitoring.bicep');
    const alerted = [...monitoring.matchAll(/event: '(apim-dr\.[\w.]+)'/g)].map((m) => m[1]!);
    expect(alerted.sort()).toEqual([
      'apim-dr.backup.failed',
      'apim-dr.drill.failed',
      'apim-dr.restorable.none',
      'apim-dr.restore.failed',
      'apim-dr.rpo.breach',
    ]);
    const sources = readSources();
    for (const event of alerted) expect(sources, event).toContain(`'${event}'`);
  });

  it('runs the postdeploy hook that turns on the event subscriptions', () => {
    const hook = join(REPO, azureYaml.hooks.postdeploy.posix.run);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain('azd env set APIM_DR_EVENT_SUBSCRIPTIONS true');
    expect(parameters.parameters['eventSubscriptions']!.value).toBe('${APIM_DR_EVENT_SUBSCRIPTIONS}');
    expect(main).toMatch(/if \(eventSubscriptions == 'true'\)/);
  });
});

/** Every `'apim-dr.…'` event name literal in src/. */
function readSources(): string {
  return execFileSync('grep', ['-rhoE', "'apim-dr\\.[a-z.]+'", join(REPO, 'src')], { encoding: 'utf8' });
}
