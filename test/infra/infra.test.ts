/**
 * infra/ as Azure will see it: these tests read the ARM JSON that `bicep build` emits (test/infra/compiled.ts) and
 * evaluate its expressions for sample configs (test/infra/armExpression.ts), and check it against the code.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_APP_SETTINGS } from '../../src/config/appSettings';
import { APIM_ROLE } from '../../src/azure/apimRole';
import { DR_ROLES, HTTP_AUTH_SETTING } from '../../src/http/caller';
import { AUTH_CLIENT_ID_SETTING, AUTH_TENANT_SETTING } from '../../src/http/entraToken';
import { CONFIG_SETTING, parseConfig } from '../../src/config/loadConfig';
import { configSchema } from '../../src/config/schema';
import { classifyEvent } from '../../src/domain/changeEvents';
import { BACKUP_STATES } from '../../src/domain/manifest';
import { EVENT_GRID_WEBHOOK, loadFunctions } from '../../dev/localHost/LocalHost';
import { triggerOf, type Registration } from '../../src/inProcess/registration';
import { STAGING_DIR } from '../../scripts/package/deployPackage';
import { allResources, asTemplate, moduleDeployment, moduleTemplate, named, resourcesOfType, roleOf, symbol, type Template } from './arm';
import { evaluate, TemplateFailure, type Scope } from './armExpression';
import { REPO, useCompiledInfra } from './compiled';

/** Built-in roles as Azure defines them (Azure built-in roles reference); the templates must use exactly these. */
const BUILT_IN_ROLES: Record<string, string> = {
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  '0ad04412-c4d5-4796-b79c-f76d14c8d402': 'Durable Task Data Contributor',
};
/** The API Management Service Operator Role: carries service/write and delete, and lacks migrateToStv2. */
const OPERATOR_ROLE_ID = 'e022efe7-f5ba-4159-bbe4-b44f577e9b61';

const parameters = JSON.parse(readFileSync(join(REPO, 'infra/main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: unknown }> };
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
  hooks: { postdeploy: { posix: { run: string } }; preprovision: { posix: { run: string } } };
};

const settingNames = (text: string) => [...text.matchAll(/%([A-Za-z_][\w]*)%/g)].map((m) => m[1]!);

const apim = (rg: string, name: string, sub = '00000000-0000-0000-0000-000000000001') =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${name}`;
const PRIMARY = apim('rg-weu', 'apim-weu');
const STANDBY = apim('rg-neu', 'apim-neu');
const OTHER = apim('rg-weu', 'apim-other');
const DRILL = apim('rg-neu', 'apim-drill', '00000000-0000-0000-0000-000000000002');

describe('infra: the compiled template', () => {
  const infra = useCompiledInfra();
  let main: Template;
  beforeAll(() => {
    main = asTemplate(infra().templates['infra/main.bicep']);
  });

  /** main.bicep's variables for these parameter values (defaults for the rest). */
  function mainScope(values: Record<string, unknown>): Scope {
    const defaults = Object.fromEntries(Object.entries(main.parameters).map(([name, p]) => [name, p.defaultValue]));
    return { parameters: { environmentName: 'dr', location: 'northeurope', apiClientId: 'x', ...defaults, ...values }, variables: main.variables ?? {} };
  }
  const mainVariable = (name: string, values: Record<string, unknown>) => evaluate(`[variables('${name}')]`, mainScope(values));

  describe('parameters and outputs', () => {
    it('declares the parameters azd fills in, with safe defaults', () => {
      const p = main.parameters;
      expect(p['durableBackend']).toMatchObject({ defaultValue: 'durable-task-scheduler', allowedValues: ['durable-task-scheduler', 'azure-storage'] });
      expect(p['immutabilityDays']).toMatchObject({ defaultValue: 30, minValue: 0, maxValue: 30 });
      expect(p['lockImmutability']!.defaultValue).toBe(false);
      expect(p['deletedRetentionDays']).toMatchObject({ defaultValue: 30, minValue: 30 });
      expect(p['stateContainerName']!.defaultValue).toBe('apim-dr-state');
      expect(p['backupResourceGroup']!.defaultValue).toBe('');
      expect(p['networkJoinScopes']!.defaultValue).toEqual([]);
      expect(p['existingSystemTopics']!.defaultValue).toEqual({});
      expect(p['discovery']!.defaultValue).toEqual({});
      expect(p['apiClientId']!.defaultValue).toBeUndefined();
      expect(p['tickSchedule']!.defaultValue).toBe(DEFAULT_APP_SETTINGS['APIM_DR_TICK_SCHEDULE']);
      expect(p['sweepSchedule']!.defaultValue).toBe(DEFAULT_APP_SETTINGS['APIM_DR_SWEEP_SCHEDULE']);
      // Every parameter the parameters file sets exists in the template.
      expect(Object.keys(parameters.parameters).filter((name) => !(name in p))).toEqual([]);
      expect(parameters.parameters['apiClientId']!.value).toBe('${APIM_DR_API_CLIENT_ID}');
    });

    it('outputs what azd and the hooks read', () => {
      expect(Object.keys(main.outputs ?? {}).sort()).toEqual(
        [
          'APIM_DR_API_CLIENT_ID',
          'APIM_DR_BACKUP_STORAGE',
          'APIM_DR_DURABLE_BACKEND',
          'APIM_DR_DURABLE_TASK_SCHEDULER_ENDPOINT',
          'APIM_DR_IDENTITY_CLIENT_ID',
          'APIM_DR_STATE_CONTAINER',
          'APIM_DR_URL',
          'AZURE_FUNCTION_APP_NAME',
          'AZURE_RESOURCE_GROUP',
        ].sort(),
      );
    });
  });

  describe('app settings', () => {
    it('sets every app setting the code and host.json read, and nothing apim-dr does not read', () => {
      const settings = moduleDeployment(main, 'apim-dr-functionApp').properties.parameters.apimDrSettings.value as Record<string, string>;
      const read = new Set([
        CONFIG_SETTING,
        HTTP_AUTH_SETTING,
        AUTH_TENANT_SETTING,
        AUTH_CLIENT_ID_SETTING,
        ...Object.keys(DEFAULT_APP_SETTINGS),
        ...settingNames(JSON.stringify(hostJson)),
      ]);
      expect(new Set(Object.keys(settings))).toEqual(read);
      expect(settings['APIM_DR_HTTP_AUTH']).toBe('entra-id');
      expect(settings['APIM_DR_TICK_SCHEDULE']).toBe("[parameters('tickSchedule')]");
    });

    it("gives the site the host's keyless settings, the backend's, then apim-dr's own", () => {
      const app = moduleTemplate(main, 'apim-dr-functionApp');
      const site = allResources(app).find((r) => r.resource.type === 'Microsoft.Web/sites/config' && r.resource.name.includes('appsettings'))!;
      expect(site.resource.properties).toBe(
        "[union(variables('hostSettings'), if(equals(parameters('durableBackend'), 'durable-task-scheduler'), variables('schedulerSettings'), variables('storageBackendSettings')), parameters('apimDrSettings'), variables('secretSettings'))]",
      );
      const host = app.variables!['hostSettings'] as Record<string, string>;
      expect(host['AzureWebJobsStorage__credential']).toBe('managedidentity');
      expect(Object.keys(host)).not.toContain('AzureWebJobsStorage');
      expect(host['APPLICATIONINSIGHTS_AUTHENTICATION_STRING']).toContain('Authorization=AAD');
    });

    it("makes each vault reference an APIM_DR_SECRET_ setting holding a Key Vault reference, never one of the app's own", () => {
      const app = moduleTemplate(main, 'apim-dr-functionApp');
      expect(main.parameters['vaultReferences']).toMatchObject({ type: 'object', defaultValue: {} });
      expect(moduleDeployment(main, 'apim-dr-functionApp').properties.parameters.vaultReferences.value).toBe("[parameters('vaultReferences')]");
      const settings = (vaultReferences: Record<string, string>) =>
        evaluate("[variables('secretSettings')]", { parameters: { vaultReferences }, variables: app.variables! });
      expect(settings({})).toEqual({});
      expect(settings({ NEU_REDIS: 'https://kv-dr.vault.azure.net/secrets/neu-redis/', CONFIG: 'https://kv-dr.vault.azure.net/secrets/x/' })).toEqual({
        APIM_DR_SECRET_NEU_REDIS: '@Microsoft.KeyVault(SecretUri=https://kv-dr.vault.azure.net/secrets/neu-redis/)',
        APIM_DR_SECRET_CONFIG: '@Microsoft.KeyVault(SecretUri=https://kv-dr.vault.azure.net/secrets/x/)',
      });
    });

    it('builds APIM_DR_CONFIG into a config apim-dr accepts, with the state container', () => {
      const config = moduleDeployment(main, 'apim-dr-functionApp').properties.parameters.apimDrSettings.value.APIM_DR_CONFIG as string;
      // What the deployment evaluates, with the module outputs it fills in.
      const outputs = (values: Record<string, string>) => ({ outputs: Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }])) });
      const deployed = evaluate(config.replace(/environment\(\)\.resourceManager/, "'https://management.azure.com/'"), {
        ...mainScope({ services: parameters.parameters['services']!.value, defaults: parameters.parameters['defaults']!.value }),
        references: {
          'apim-dr-backupStorage': outputs({
            name: 'stbakabc123',
            containerName: 'apim-backups',
            stateContainerName: 'apim-dr-state',
            blobEndpoint: 'https://stbakabc123.blob.core.windows.net/',
          }),
          'apim-dr-identity': outputs({ clientId: '6f1c2b3a-9d4e-4f5a-8b6c-7d8e9f0a1b2c' }),
        },
      }) as string;
      const raw = JSON.parse(deployed) as { storage: Record<string, string> };
      expect(raw.storage['stateContainer']).toBe('apim-dr-state');
      // The state container joins the schema in its own change; until then the schema is asked what it knows.
      const storageKeys = Object.keys((configSchema.shape.storage as unknown as { shape: object }).shape);
      if (!storageKeys.includes('stateContainer')) delete raw.storage['stateContainer'];
      const parsed = parseConfig(raw, 'APIM_DR_CONFIG as deployed');
      expect(parsed.services.length).toBeGreaterThan(0);
      expect(parsed.storage.endpoint).toBe('https://stbakabc123.blob.core.windows.net');
    });
  });

  describe('permissions', () => {
    const assignments = () => resourcesOfType(main, 'Microsoft.Authorization/roleAssignments');
    const roleName = (id: string) => BUILT_IN_ROLES[id] ?? id;

    it('assigns exactly these roles, each to the app or an APIM identity as a service principal', () => {
      const granted = assignments()
        .map((a) => `${a.module.replace(/^\[format\('([^']*)'.*$/, '$1')}/${a.symbol}: ${roleName(roleOf(a))}`)
        .sort();
      expect(granted).toEqual(
        [
          'apim-dr-access-{0}/apimAccess: parameter:apimRoleId',
          'apim-dr-backupStorage/apimBackups: Storage Blob Data Contributor',
          'apim-dr-backupStorage/appCatalog: parameter:catalogRoleId',
          'apim-dr-backupStorage/appState: Storage Blob Data Contributor',
          'apim-dr-discovery-{0}/apimAccess: parameter:apimRoleId',
          'apim-dr-discovery-{0}/reader: Reader',
          'apim-dr-durableTaskScheduler/dataContributor: Durable Task Data Contributor',
          'apim-dr-hostStorage/blobOwner: Storage Blob Data Owner',
          'apim-dr-hostStorage/queueContributor: Storage Queue Data Contributor',
          'apim-dr-hostStorage/tableContributor: Storage Table Data Contributor',
          'apim-dr-monitoring/publisher: Monitoring Metrics Publisher',
          "apim-dr-network-{0}/1: expression:guid(resourceGroup().id, 'apim-dr-network-join')",
          "apim-dr-network-{0}/2: expression:guid(resourceGroup().id, 'apim-dr-network-join')",
        ].sort(),
      );
      for (const a of assignments()) {
        expect(a.resource.properties.principalType, a.symbol).toBe('ServicePrincipal');
        // guid(scope, principal, role…): stable across deployments, unique per grant.
        expect(a.resource.name, a.symbol).toMatch(/^\[guid\(/);
        // Scoped to the one resource, except the subscription-wide discovery grants.
        if (!a.module.includes('discovery')) expect(a.resource.scope, a.symbol).toBeDefined();
      }
    });

    it('never grants the API Management Service Operator Role (service/write and delete, no migrateToStv2)', () => {
      expect(JSON.stringify(infra().templates)).not.toContain(OPERATOR_ROLE_ID);
    });

    it('declares the built-in roles by their real IDs', () => {
      const declared = moduleTemplate(main, 'apim-dr-backupStorage').variables!['builtInRoles'] as Record<string, string>;
      for (const id of Object.values(declared)) expect(Object.keys(BUILT_IN_ROLES)).toContain(id);
    });

    it('defines an APIM role with exactly what apim-dr calls, named uniquely per subscription and environment', () => {
      const roles = moduleTemplate(main, 'apim-dr-apimRole');
      const role = named(roles, "'apim-dr-apim'");
      // The same list the app's error messages name (src/azure/apimRole.ts), with each action the issue names.
      const service = 'Microsoft.ApiManagement/service';
      const required = ['read', 'backup/action', 'restore/action', 'migrateToStv2/action', 'workspaceLinks/read'].map((a) => `${service}/${a}`);
      expect(APIM_ROLE.actions).toEqual(expect.arrayContaining(required));
      // Nothing that writes or deletes, and no wildcard: reads and the three operations only.
      expect(APIM_ROLE.actions.filter((a) => !/^[\w./]+\/(read|backup\/action|restore\/action|migrateToStv2\/action)$/.test(a))).toEqual([]);
      expect(evaluate(role.properties.permissions, { parameters: {}, variables: roles.variables! })).toEqual([
        { actions: [...APIM_ROLE.actions], notActions: [] },
      ]);
      expect(role.properties.roleName).toContain(`'${APIM_ROLE.name} (`);
      expect(role.name).toBe("[guid(subscription().id, parameters('environmentName'), 'apim-dr-apim')]");
      // Role names are unique in the tenant: the name carries a token of this subscription and environment.
      expect(role.properties.roleName).toBe(
        "[format('apim-dr APIM backup and restore ({0} {1})', parameters('environmentName'), uniqueString(subscription().id, parameters('environmentName')))]",
      );
    });

    it("makes the APIM role assignable in every instance's and every discovery subscription", () => {
      const scopes = mainVariable('apimScopes', {
        services: [{ id: PRIMARY, standbys: [{ id: STANDBY }], drill: { schedule: '0 0 3 * * 0', target: DRILL } }],
        discovery: { subscriptions: ['00000000-0000-0000-0000-000000000009'] },
      });
      expect(scopes).toEqual([
        '/subscriptions/00000000-0000-0000-0000-000000000001',
        '/subscriptions/00000000-0000-0000-0000-000000000002',
        '/subscriptions/00000000-0000-0000-0000-000000000009',
        '/subscriptions/00000000-0000-0000-0000-000000000000',
      ]);
    });

    it('gives the app a catalog role without Owner: no version delete, no permanent delete, no immutability change', () => {
      const roles = moduleTemplate(main, 'apim-dr-catalogRole');
      const role = named(roles, "'apim-dr-catalog'");
      const [permissions] = evaluate(role.properties.permissions, { parameters: {}, variables: roles.variables! }) as {
        actions: string[];
        dataActions: string[];
      }[];
      expect(permissions!.actions).toEqual(['Microsoft.Storage/storageAccounts/blobServices/containers/read']);
      const blob = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
      expect(permissions!.dataActions.sort()).toEqual(
        [`${blob}/read`, `${blob}/write`, `${blob}/add/action`, `${blob}/delete`, `${blob}/tags/read`, `${blob}/tags/write`, `${blob}/filter/action`].sort(),
      );
      expect(permissions!.dataActions.some((a) => /deleteBlobVersion|permanentDelete|immutableStorage|\*/.test(a))).toBe(false);
      expect(role.properties.roleName).toContain("uniqueString(subscription().id, parameters('environmentName'))");
      // Defined where the backup account is, assignable only in its resource group.
      expect(role.properties.assignableScopes).toEqual(["[subscriptionResourceId('Microsoft.Resources/resourceGroups', parameters('backupResourceGroup'))]"]);
      expect(moduleDeployment(main, 'apim-dr-catalogRole').subscriptionId).toBe("[variables('backupSubscription')]");
      // Its deletes are kept to apim-dr's own file kinds.
      const catalog = symbol(moduleTemplate(main, 'apim-dr-backupStorage'), 'appCatalog');
      expect(catalog.properties.conditionVersion).toBe('2.0');
      expect(catalog.properties.condition).toBe(
        "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike '*.apimbackup' OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike '*.manifest.json'))",
      );
    });

    it('lets each APIM identity write only its own backups and read only those it may restore', () => {
      const storage = moduleTemplate(main, 'apim-dr-backupStorage');
      const grant = symbol(storage, 'apimBackups');
      const condition = (service: string, reads: string[]) =>
        evaluate(grant.properties.condition.replace(/parameters\('apimGrants'\)\[copyIndex\(\)\]/g, "parameters('grant')"), {
          parameters: { grant: { service, reads } },
          variables: storage.variables!,
        }) as string;
      const path = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]';
      const blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
      expect(condition('apim-neu', ['apim-neu', 'apim-weu'])).toBe(
        `((!(ActionMatches{'${blobs}/write'}) AND !(ActionMatches{'${blobs}/add/action'}) AND !(ActionMatches{'${blobs}/delete'})) OR (${path} StringStartsWithIgnoreCase 'apim-neu.'))` +
          ` AND ((!(ActionMatches{'${blobs}/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (${path} StringStartsWithIgnoreCase 'apim-neu.' OR ${path} StringStartsWithIgnoreCase 'apim-weu.'))`,
      );
      expect(grant.scope).toContain("parameters('containerName')");
    });

    it('gives a standby (and a drill target) read on the backups of the instances it stands in for, and no one else', () => {
      const grants = mainVariable('sourcesByInstance', {
        services: [
          { id: PRIMARY, standbys: [{ id: STANDBY }], drill: { schedule: '0 0 3 * * 0', target: DRILL } },
          { id: OTHER, standbys: [{ id: STANDBY.toUpperCase() }] },
        ],
      });
      expect(grants).toEqual([
        { id: PRIMARY, sources: [] },
        { id: OTHER, sources: [] },
        // One entry per instance however its ID is spelled (IDs are case-insensitive).
        { id: STANDBY.toLowerCase(), sources: ['apim-weu', 'apim-other'] },
        { id: DRILL.toLowerCase(), sources: ['apim-weu'] },
      ]);
    });

    it("grants the app's state container to the app only, with no APIM identity on it", () => {
      const storage = moduleTemplate(main, 'apim-dr-backupStorage');
      const onState = allResources(storage).filter((r) => String(r.resource.scope).includes("parameters('stateContainerName')"));
      expect(onState.map((r) => r.symbol)).toEqual(['appState']);
      expect(onState[0]!.resource.properties.principalId).toBe("[parameters('appPrincipalId')]");
    });

    it('grants the APIM role per instance, except where a discovery subscription already holds it', () => {
      const access = moduleDeployment(main, 'apim-dr-access');
      expect(access.properties.parameters.grantApimRole.value).toBe(
        "[not(contains(variables('discoverySubscriptions'), toLower(split(variables('instances')[copyIndex()].id, '/')[2])))]",
      );
      expect(symbol(moduleTemplate(main, 'apim-dr-access'), 'apimAccess').condition).toBe("[parameters('grantApimRole')]");
      expect(moduleDeployment(main, 'apim-dr-discovery').copy?.count).toBe("[length(variables('discoverySubscriptions'))]");
      expect(moduleDeployment(main, 'apim-dr-discovery').subscriptionId).toBe("[variables('discoverySubscriptions')[copyIndex()]]");
    });

    it('names the network-join role uniquely in the tenant, not by resource group name alone', () => {
      const [role] = resourcesOfType(main, 'Microsoft.Authorization/roleDefinitions').filter((r) => r.module.includes('network'));
      expect(role!.resource.properties.roleName).toBe("[format('apim-dr network join ({0} {1})', resourceGroup().name, uniqueString(resourceGroup().id))]");
    });
  });

  describe('deploy blockers caught before Azure', () => {
    const storagePrincipal = (access: object, identity: object | undefined) => {
      const template = moduleTemplate(main, 'apim-dr-access');
      return evaluate(template.outputs!['storagePrincipalId']!.value, {
        parameters: { access, serviceName: 'apim-weu' },
        variables: template.variables ?? {},
        // What ARM's GET answers: an instance without any managed identity has no identity property.
        references: { apim: identity === undefined ? {} : { identity } },
        deployment: { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg-weu' },
      });
    };

    it('reads the storage principal from the identity the access names', () => {
      expect(storagePrincipal({ type: 'SystemAssignedManagedIdentity' }, { principalId: 'p-system' })).toBe('p-system');
      const userAssigned = {
        userAssignedIdentities: { '/uai/one': { clientId: 'c-1', principalId: 'p-1' }, '/uai/two': { clientId: 'c-2', principalId: 'p-2' } },
      };
      expect(storagePrincipal({ type: 'UserAssignedManagedIdentity', clientId: 'c-2' }, userAssigned)).toBe('p-2');
    });

    it('fails with the instance and the fix when it has no system-assigned identity', () => {
      expect(() => storagePrincipal({ type: 'SystemAssignedManagedIdentity' }, undefined)).toThrow(TemplateFailure);
      expect(() => storagePrincipal({ type: 'UserAssignedManagedIdentity', clientId: 'c-1' }, undefined)).toThrow(TemplateFailure);
      expect(() => storagePrincipal({ type: 'SystemAssignedManagedIdentity' }, {})).toThrow(
        new RegExp(`${PRIMARY}' has no system-assigned managed identity.*Fix: turn on its system-assigned identity`),
      );
    });

    it('fails with the instance and the fix when access.clientId matches none of its identities', () => {
      const identity = { userAssignedIdentities: { '/uai/one': { clientId: 'c-1', principalId: 'p-1' } } };
      expect(() => storagePrincipal({ type: 'UserAssignedManagedIdentity', clientId: 'c-9' }, identity)).toThrow(
        /has no user-assigned managed identity with client ID 'c-9'.*Fix: assign that identity/,
      );
    });

    it('refuses AccessKey, which the keyless backup account can never serve, naming the instances', () => {
      const services = [{ id: PRIMARY, access: { type: 'AccessKey', keySetting: 'KEY' }, standbys: [{ id: STANDBY }] }];
      expect(() => mainVariable('instances', { services })).toThrow(new RegExp(`AccessKey is not deployable.*${PRIMARY}.*Fix:`));
      expect(() => mainVariable('instances', { services: [{ id: PRIMARY }], defaults: { access: { type: 'AccessKey', keySetting: 'K' } } })).toThrow(
        TemplateFailure,
      );
      expect(mainVariable('instances', { services: [{ id: PRIMARY }] })).toEqual([{ id: PRIMARY, access: { type: 'SystemAssignedManagedIdentity' } }]);
    });

    it("reuses an existing system topic for a group instead of creating Azure's one-per-source topic twice", () => {
      const events = moduleDeployment(main, 'apim-dr-events');
      const groupOf = (topics: object) => {
        const scope = mainScope({ services: [{ id: PRIMARY, events: { enabled: true } }], existingSystemTopics: topics, eventSubscriptions: 'true' });
        const local = { ...scope, parameters: { ...scope.parameters, __group: (evaluate("[variables('eventGroupIds')]", scope) as string[])[0] } };
        const sub = (e: string) => evaluate(e.replace(/variables\('eventGroupIds'\)\[copyIndex\(\)\]/g, "parameters('__group')"), local);
        return { rg: sub(events.resourceGroup), topic: (sub(events.properties.parameters.existingTopicName) as { value: string }).value };
      };
      expect(groupOf({})).toEqual({ rg: 'rg-weu', topic: '' });
      const topic = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shared/providers/Microsoft.EventGrid/systemTopics/contoso-rg-weu';
      expect(groupOf({ '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-WEU': topic })).toEqual({
        rg: 'rg-shared',
        topic: 'contoso-rg-weu',
      });
      const grid = moduleTemplate(main, 'apim-dr-events');
      expect(symbol(grid, 'created').condition).toBe("[not(variables('reuse'))]");
      // On a shared topic, each environment's subscriptions keep names of their own.
      const names = ['createdSubscriptions', 'reusedSubscriptions'].map((name) => symbol(grid, name).name);
      for (const name of names) expect(name).toContain("__bicep.subscriptionName(parameters('appName'), ");
      const fn = (grid as unknown as { functions: { members: Record<string, { output: { value: string } }> }[] }).functions[0]!.members['subscriptionName']!;
      expect(evaluate(fn.output.value, { parameters: { appName: 'func-abc123', serviceId: PRIMARY }, variables: {} })).toBe('func-abc123-apim-weu');
      // Tagged with the environment: the preprovision look-up knows a topic apim-dr created on an earlier run as its own.
      expect(symbol(grid, 'created').tags).toBe("[parameters('tags')]");
      expect(main.variables!['tags']).toEqual({ 'azd-env-name': "[parameters('environmentName')]" });
      expect(events.properties.parameters.tags.value).toBe("[variables('tags')]");
      expect(JSON.stringify(symbol(grid, 'reusedSubscriptions').properties)).not.toContain('deadLetter');
    });

    it("leaves only the platform's Event Grid route unauthenticated, spelled as the platform routes it", () => {
      const auth = allResources(moduleTemplate(main, 'apim-dr-functionApp')).find((r) => String(r.resource.name).includes('authsettingsV2'))!;
      expect(auth.resource.properties.globalValidation).toEqual({
        requireAuthentication: true,
        unauthenticatedClientAction: 'Return401',
        excludedPaths: [EVENT_GRID_WEBHOOK],
      });
      expect(auth.resource.properties.identityProviders.azureActiveDirectory.validation.allowedAudiences).toEqual([
        "[parameters('apiClientId')]",
        "[format('api://{0}', parameters('apiClientId'))]",
      ]);
    });
  });

  describe('backup storage', () => {
    let storage: Template;
    beforeAll(() => {
      storage = moduleTemplate(main, 'apim-dr-backupStorage');
    });

    it('turns shared keys off on every storage account', () => {
      const accounts = resourcesOfType(main, 'Microsoft.Storage/storageAccounts');
      expect(accounts.length).toBe(2);
      for (const account of accounts) expect(account.resource.properties.allowSharedKeyAccess).toBe(false);
      const insights = resourcesOfType(main, 'Microsoft.Insights/components');
      expect(insights[0]!.resource.properties.DisableLocalAuth).toBe(true);
    });

    it('keeps every version immutable for the retention by default, locked only on request', () => {
      const account = symbol(storage, 'account');
      const policy = evaluate(account.properties.immutableStorageWithVersioning, {
        parameters: { immutabilityDays: 30, lockImmutability: false },
        variables: {},
      }) as { enabled: boolean; immutabilityPolicy: object };
      expect(policy).toEqual({
        enabled: true,
        immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 30, state: 'Unlocked', allowProtectedAppendWrites: false },
      });
      const locked = evaluate(account.properties.immutableStorageWithVersioning, {
        parameters: { immutabilityDays: 30, lockImmutability: true },
        variables: {},
      });
      expect(locked).toMatchObject({ immutabilityPolicy: { state: 'Locked' } });
      expect(moduleDeployment(main, 'apim-dr-backupStorage').properties.parameters.immutabilityDays.value).toBe("[parameters('immutabilityDays')]");
    });

    it('keeps deleted blobs, containers and old versions at least as long as the retention, CORS off', () => {
      const blobs = symbol(storage, 'blobs');
      expect(blobs.properties).toEqual({
        cors: { corsRules: [] },
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: "[parameters('deletedRetentionDays')]" },
        containerDeleteRetentionPolicy: { enabled: true, days: "[parameters('deletedRetentionDays')]" },
      });
      expect(storage.parameters['deletedRetentionDays']!.minValue).toBeGreaterThanOrEqual(30);
    });

    it('lets the lifecycle rules reach only catalogued blobs, past the 30-day window', () => {
      expect(storage.variables!['catalogStates']).toEqual([...BACKUP_STATES]);
      const rules = evaluate(symbol(storage, 'lifecycle').properties.policy.rules, {
        parameters: { containerName: 'apim-backups', stateContainerName: 'apim-dr-state', deletedRetentionDays: 30 },
        variables: storage.variables!,
      }) as { name: string; definition: { filters: any; actions: any } }[];
      expect(rules.map((r) => r.name)).toEqual([...BACKUP_STATES.map((state) => `apim-dr-${state}-after-32-days`), 'apim-dr-state-versions']);
      for (const [i, state] of BACKUP_STATES.entries()) {
        expect(rules[i]!.definition.filters).toEqual({
          blobTypes: ['blockBlob'],
          prefixMatch: ['apim-backups/'],
          blobIndexMatch: [{ name: 'state', op: '==', value: state }],
        });
        expect(rules[i]!.definition.actions).toEqual({
          baseBlob: { delete: { daysAfterCreationGreaterThan: 32 } },
          version: { delete: { daysAfterCreationGreaterThan: 62 } },
        });
      }
      // The state container's own versions go after the deleted-blob retention; its current blobs are never touched.
      expect(rules[4]!.definition).toEqual({
        filters: { blobTypes: ['blockBlob'], prefixMatch: ['apim-dr-state/'] },
        actions: { version: { delete: { daysAfterCreationGreaterThan: 30 } } },
      });
    });

    it('locks the account against deletion', () => {
      const lock = symbol(storage, 'deleteLock');
      expect(lock.type).toBe('Microsoft.Authorization/locks');
      expect(lock.properties.level).toBe('CanNotDelete');
      expect(lock.scope).toBe("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]");
    });

    it('sends blob writes and deletes to Log Analytics, and alerts on a delete by any identity but the app', () => {
      const logs = symbol(storage, 'blobLogs');
      expect(logs.properties.logs).toEqual([
        { category: 'StorageWrite', enabled: true },
        { category: 'StorageDelete', enabled: true },
      ]);
      expect(logs.properties.workspaceId).toBe("[parameters('workspaceId')]");
      const alert = symbol(moduleTemplate(main, 'apim-dr-monitoring'), 'foreignDelete');
      const query = evaluate(alert.properties.criteria.allOf[0].query, {
        parameters: { backupAccountName: 'stbakabc', appPrincipalId: 'app-principal' },
        variables: {},
      }) as string;
      expect(query).toMatch(/^StorageBlobLogs \| where AccountName == "stbakabc" \| where OperationName in \("DeleteBlob", "DeleteContainer"/);
      expect(query).toContain('where RequesterObjectId != "app-principal"');
    });

    it("puts the backup account in the resource group and subscription the parameters name, else the app's", () => {
      const backup = moduleDeployment(main, 'apim-dr-backupStorage');
      const place = (values: Record<string, unknown>) => evaluate([backup.subscriptionId, backup.resourceGroup], mainScope(values));
      expect(backup.resourceGroup).toBe("[variables('backupGroup')]");
      expect(place({ backupResourceGroup: 'rg-vault', backupSubscriptionId: '00000000-0000-0000-0000-00000000000b' })).toEqual([
        '00000000-0000-0000-0000-00000000000b',
        'rg-vault',
      ]);
    });
  });

  describe('Durable Functions backend', () => {
    it('creates a Consumption scheduler, its task hub, and the app role on it', () => {
      const scheduler = moduleTemplate(main, 'apim-dr-durableTaskScheduler');
      expect(symbol(scheduler, 'scheduler').properties).toEqual({ sku: { name: 'Consumption' }, ipAllowlist: ['0.0.0.0/0'] });
      expect(symbol(scheduler, 'taskHub').type).toBe('Microsoft.DurableTask/schedulers/taskHubs');
      const role = allResources(scheduler).find((r) => r.symbol === 'dataContributor')!;
      expect(BUILT_IN_ROLES[roleOf(role)]).toBe('Durable Task Data Contributor');
      expect(moduleDeployment(main, 'apim-dr-durableTaskScheduler').condition).toBe("[variables('onScheduler')]");
      expect(moduleDeployment(main, 'apim-dr-durableTaskScheduler').properties.parameters.taskHubName.value).toBe("[variables('taskHubName')]");
    });

    it('gives the app the scheduler connection host.json names, keyless, and the task hub it reads', () => {
      const provider = hostJson.extensions.durableTask.storageProvider;
      expect(provider.type).toBe('azureManaged');
      const app = moduleTemplate(main, 'apim-dr-functionApp');
      expect(app.variables!['schedulerSettings']).toEqual({
        [provider.connectionStringName]:
          "[format('Endpoint={0};Authentication=ManagedIdentity;ClientID={1}', parameters('durableTaskSchedulerEndpoint'), parameters('identityClientId'))]",
      });
      const [hub] = settingNames(hostJson.extensions.durableTask.hubName);
      const settings = moduleDeployment(main, 'apim-dr-functionApp').properties.parameters.apimDrSettings.value;
      expect(settings[hub!]).toBe("[variables('taskHubName')]");
      const [lower] = /^\[([\d.]+), 5\.0\.0\)$/.exec(hostJson.extensionBundle.version)!.slice(1);
      expect(Number(lower!.split('.')[1])).toBeGreaterThanOrEqual(32);
    });

    it('moves the task hub to host storage with the Azure Storage backend, with queues and tables only then', () => {
      const host = moduleTemplate(main, 'apim-dr-hostStorage');
      for (const name of ['queueContributor', 'tableContributor']) expect(symbol(host, name).condition, name).toBe("[parameters('durableState')]");
      expect(moduleDeployment(main, 'apim-dr-hostStorage').properties.parameters.durableState.value).toBe("[not(variables('onScheduler'))]");
    });
  });
});

describe('infra: Entra ID app registration (not compiled here: Microsoft Graph extension)', () => {
  // This file cannot be compiled on machines without mcr.microsoft.com, so it is read as text.
  const registration = readFileSync(join(REPO, 'infra/entra/appRegistration.bicep'), 'utf8');

  it('declares exactly the app roles the routes check, and the delegated scope user_impersonation', () => {
    expect([...registration.matchAll(/\{ value: '([^']+)'/g)].map((m) => m[1])).toEqual([...DR_ROLES]);
    expect(registration).toMatch(/value: 'user_impersonation'\n\s+type: 'User'/);
    expect(registration).toMatch(/appRoleAssignmentRequired: true/);
  });

  it('is deployed by the preprovision hook when no client ID is set', () => {
    const hook = readFileSync(join(REPO, azureYaml.hooks.preprovision.posix.run), 'utf8');
    expect(hook).toContain('infra/entra/appRegistration.bicep');
    expect(hook).toContain('azd env set APIM_DR_API_CLIENT_ID');
  });
});

describe('infra: no secrets in what deploys', () => {
  const files = [
    'infra/main.parameters.json',
    'azure.yaml',
    ...readdirSync(join(REPO, 'infra'), { recursive: true, encoding: 'utf8' }).map((f) => join('infra', f)),
  ]
    .filter((f) => f.endsWith('.bicep') || f.endsWith('.json') || f.endsWith('.yaml') || f.endsWith('.sh'))
    .map((path) => ({ path, text: readFileSync(join(REPO, path), 'utf8') }));

  it.each([
    ['a storage key or SAS', /AccountKey=|SharedAccessSignature|[?&]sig=|listKeys?\(|listAccountSas|listServiceSas/i],
    ['a secure parameter (a secret passed in)', /@secure\(\)/],
    ['an instrumentation key', /InstrumentationKey/],
    ['a password or client secret', /password|clientSecret|client_secret/i],
  ])('contains no secret: %s', (_what, pattern) => {
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(file.text, file.path).not.toMatch(pattern);
  });
});

describe('infra: agrees with the code', () => {
  let functions: Map<string, Registration>;
  beforeAll(async () => {
    functions = await loadFunctions();
  });
  const infra = useCompiledInfra();

  it('deploys the project as a TypeScript Function App whose tag azd matches, on a Node version package.json supports', () => {
    expect(azureYaml.infra).toEqual({ provider: 'bicep', path: 'infra', module: 'main' });
    const [name, service] = Object.entries(azureYaml.services)[0]!;
    expect(service).toMatchObject({ project: '.', language: 'ts', host: 'function' });
    const app = moduleTemplate(asTemplate(infra().templates['infra/main.bicep']), 'apim-dr-functionApp');
    const site = allResources(app).find((r) => r.resource.type === 'Microsoft.Web/sites')!;
    expect(site.resource.tags).toBe(`[union(parameters('tags'), createObject('azd-service-name', '${name}'))]`);
    expect(packageJson.main).toBe('dist/functions/index.js');
    const minimum = Number(/>=\s*(\d+)/.exec(packageJson.engines.node)![1]);
    expect(Number(app.parameters['nodeVersion']!.defaultValue)).toBeGreaterThanOrEqual(minimum);
  });

  it('ships the locally built package that npm run package stages, with no remote build', () => {
    const service = Object.values(azureYaml.services)[0]!;
    expect(service.remoteBuild).toBe(false);
    expect(service.dist).toBe(STAGING_DIR);
    expect(service.hooks.prepackage.posix.run).toBe('npm run package');
    expect(packageJson.scripts['package']).toMatch(/scripts\/package\.ts/);
  });

  it('subscribes the Event Grid function that is registered, to event types the code treats as changes', () => {
    const grid = moduleTemplate(asTemplate(infra().templates['infra/main.bicep']), 'apim-dr-events');
    const functionName = grid.parameters['functionName']!.defaultValue as string;
    expect(triggerOf(functions.get(functionName)!).type).toBe('eventGridTrigger');
    const types = [...JSON.stringify(grid).matchAll(/"(Microsoft\.Resources\.Resource\w+Success)"/g)].map((m) => m[1]!);
    // Writes and deletes only: an action is never a configuration change, so none is subscribed to.
    expect(new Set(types)).toEqual(new Set(['Microsoft.Resources.ResourceWriteSuccess', 'Microsoft.Resources.ResourceDeleteSuccess']));
    const id = `${PRIMARY}/apis/echo`;
    for (const type of new Set(types)) {
      const event = {
        id: type,
        eventType: type,
        subject: id,
        eventTime: '2026-11-22T10:00:00Z',
        data: {
          resourceUri: id,
          operationName: type.endsWith('ActionSuccess') ? 'Microsoft.ApiManagement/service/apis/releases/action' : 'Microsoft.ApiManagement/service/apis/write',
        },
      };
      expect(classifyEvent(event, new Date('2026-11-22T10:00:01Z')).kind, type).toBe('change');
    }
  });

  it('alerts on events the code emits', () => {
    const monitoring = moduleTemplate(asTemplate(infra().templates['infra/main.bicep']), 'apim-dr-monitoring');
    const alerted = (monitoring.variables!['alerts'] as { event: string }[]).map((a) => a.event);
    expect(alerted.sort()).toEqual([
      'apim-dr.backup.failed',
      'apim-dr.drill.failed',
      'apim-dr.restorable.none',
      'apim-dr.restore.failed',
      'apim-dr.rpo.breach',
    ]);
    const sources = execFileSync('grep', ['-rhoE', "'apim-dr\\.[a-z.]+'", join(REPO, 'src')], { encoding: 'utf8' });
    for (const event of alerted) expect(sources, event).toContain(`'${event}'`);
  });

  it('runs the postdeploy hook that turns on the event subscriptions', () => {
    const hook = join(REPO, azureYaml.hooks.postdeploy.posix.run);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain('azd env set APIM_DR_EVENT_SUBSCRIPTIONS true');
    expect(parameters.parameters['eventSubscriptions']!.value).toBe('${APIM_DR_EVENT_SUBSCRIPTIONS}');
    expect(moduleDeployment(asTemplate(infra().templates['infra/main.bicep']), 'apim-dr-events').condition).toBe(
      "[equals(parameters('eventSubscriptions'), 'true')]",
    );
  });
});
