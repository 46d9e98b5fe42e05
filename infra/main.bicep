// apim-dr on Azure (`azd up`): the Functions app and its identity, host and backup storage, monitoring and
// alerts, change events, and every permission it needs, each scoped to the one resource that needs it.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('The azd environment name; names the resource group and tags every resource.')
param environmentName string

@minLength(1)
@description('Region of the app, its host storage, its Durable Task Scheduler and monitoring. Pick the standby region: the app is needed most when the primary region is down.')
param location string

@description('Region of the backup storage account; the same standby region by default. Backups must outlive the primary region.')
param backupLocation string = location

@minLength(1)
@description('Client ID of apim-dr\'s app registration (app roles DR.Reader, DR.Operator, DR.Restore; scope user_impersonation). The preprovision hook creates one with infra/entra/appRegistration.bicep when APIM_DR_API_CLIENT_ID is empty.')
param apiClientId string

@description('Where Durable Functions keeps orchestration state: the Durable Task Scheduler (recommended), or the host storage account.')
@allowed(['durable-task-scheduler', 'azure-storage'])
param durableBackend string = 'durable-task-scheduler'

@description('The `services` of the apim-dr config: each protected instance with its schedule, RPO, access, standbys (and their sync), events and drill. May be empty with tag discovery.')
param services array

@description('The `defaults` of the apim-dr config (schedule, RPO, retention, poll interval…); empty keeps the built-in ones.')
param defaults object = {}

@description('Key Vault references for the secrets snapshot-synced standbys get (`standbys[].secrets` names APIM_DR_SECRET_<NAME>): {\'<NAME>\': \'https://<vault>.vault.azure.net/secrets/<secret>/\'}. The app\'s identity needs Key Vault Secrets User on each vault. Secret URIs, never secrets.')
param vaultReferences object = {}

@description('The `discovery` of the apim-dr config ({subscriptions, tag}); its subscriptions get the app\'s APIM role and Reader on the whole subscription. Empty: no discovery.')
param discovery object = {}

@description('The backup container.')
param backupContainerName string = 'apim-backups'

@description('apim-dr\'s own state container, in the backup account: only the app identity may use it.')
param stateContainerName string = 'apim-dr-state'

@description('Resource group of the backup storage account; empty: the app\'s. Another group (or subscription), which the app\'s operators cannot administer, is the stronger choice. It must exist.')
param backupResourceGroup string = ''

@description('Subscription of the backup storage account (with backupResourceGroup); empty: this one.')
param backupSubscriptionId string = ''

@minValue(0)
@maxValue(30)
@description('Days each backup blob version stays immutable after it is written: the 30-day retention by default; 0 turns immutability off.')
param immutabilityDays int = 30

@description('Lock the immutability policy. IRREVERSIBLE (compliance mode): nobody, apim-dr\'s operators included, can shorten it or delete the account while a version is immutable.')
param lockImmutability bool = false

@minValue(30)
@maxValue(365)
@description('Days a deleted backup, container or overwritten version is kept: at least the retention.')
param deletedRetentionDays int = 30

@description('E-mail address for the alert rules; empty sends nothing.')
param alertEmail string = ''

@description('How often the schedule tick runs (NCRONTAB).')
param tickSchedule string = '0 */5 * * * *'

@description('When the daily expiry sweep runs (NCRONTAB, UTC).')
param sweepSchedule string = '0 30 3 * * *'

@description('\'true\' once the functions are deployed: an Event Grid subscription needs its function to exist. The postdeploy hook sets it.')
param eventSubscriptions string = ''

@description('Existing Event Grid system topics to reuse, by the resource group they watch: {\'<resource group ID>\': \'<system topic resource ID>\'}. Azure allows one system topic per source; find it with `az eventgrid system-topic list --query "[?source==\'<group ID>\']"`.')
param existingSystemTopics object = {}

@description('Only to migrate VNet-injected stv1 instances in place: resource IDs of their subnets (and public IPs, where one is set) that the app may join. Empty (the default) grants no network permission.')
param networkJoinScopes array = []

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var appName = 'func-${resourceToken}'
var taskHubName = 'apimdr${resourceToken}'
var onScheduler = durableBackend == 'durable-task-scheduler'
var backupAccountName = 'stbak${resourceToken}'

// Every instance the app touches: each protected one, and each standby or drill target that is not itself
// protected (a restore into one uses the default access). union() drops duplicates.
var defaultAccess = defaults.?access ?? { type: 'SystemAssignedManagedIdentity' }
var protectedIds = map(services, s => toLower(s.id))
var protectedInstances = map(services, s => { id: s.id, access: s.?access ?? defaultAccess })
// Lower case: resource IDs are case-insensitive, and one instance must get one module, not one per spelling.
var standbyIds = union(
  map(flatten(map(services, s => map(s.?standbys ?? [], standby => standby.id))), id => toLower(id)),
  map(filter(services, s => s.?drill != null), s => toLower(s.drill.target))
)
var otherStandbys = map(filter(standbyIds, id => !contains(protectedIds, toLower(id))), id => { id: id, access: defaultAccess })
var checkedInstances = union(protectedInstances, otherStandbys)

// AccessKey needs shared keys on the backup account, which this deployment keeps off: refuse it here, before any
// resource is touched (the preprovision hook says the same on the operator's machine).
var accessKeyIds = map(filter(checkedInstances, i => i.access.type == 'AccessKey'), i => i.id)
var instances = empty(accessKeyIds)
  ? checkedInstances
  : fail('access.type AccessKey is not deployable with azd: the backup account allows Entra ID only (shared keys off), so these instances could never back up: ${join(accessKeyIds, ', ')}. Fix: set their access (or defaults.access) to SystemAssignedManagedIdentity or UserAssignedManagedIdentity.')

// The instances each one stands in for (as a standby or a drill target): its identity may read their backups.
var sourcesByInstance = map(instances, i => {
  id: i.id
  sources: map(
    filter(services, s => contains(map(s.?standbys ?? [], b => toLower(b.id)), toLower(i.id)) || toLower(s.?drill.?target ?? '') == toLower(i.id)),
    s => split(s.id, '/')[8]
  )
})

// Tag discovery: the app's APIM role and Reader on each of these subscriptions, instead of on each instance.
var discoverySubscriptions = map(discovery.?subscriptions ?? [], id => toLower(id))
var instanceSubscriptions = map(instances, i => toLower(split(i.id, '/')[2]))
var apimScopes = map(union(instanceSubscriptions, discoverySubscriptions, [subscription().subscriptionId]), id => '/subscriptions/${id}')

var backupGroup = empty(backupResourceGroup) ? rg.name : backupResourceGroup
var backupSubscription = empty(backupSubscriptionId) ? subscription().subscriptionId : backupSubscriptionId

var eventServiceIds = map(filter(services, s => s.?events.?enabled ?? false), s => s.id)
var eventGroupIds = union(map(eventServiceIds, id => toLower('/subscriptions/${split(id, '/')[2]}/resourceGroups/${split(id, '/')[4]}')), [])
var topicsByGroup = toObject(items(existingSystemTopics), entry => toLower(entry.key), entry => entry.value)

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'apim-dr-identity'
  scope: rg
  params: { name: 'id-${resourceToken}', location: location, tags: tags }
}

module apimRole 'app/apimRole.bicep' = {
  name: 'apim-dr-apimRole'
  params: { environmentName: environmentName, assignableScopes: apimScopes }
}

module catalogRole 'app/catalogRole.bicep' = {
  name: 'apim-dr-catalogRole'
  scope: subscription(backupSubscription)
  params: { environmentName: environmentName, backupResourceGroup: backupGroup }
}

module hostStorage 'app/hostStorage.bicep' = {
  name: 'apim-dr-hostStorage'
  scope: rg
  params: { name: 'sthost${resourceToken}', location: location, tags: tags, appPrincipalId: identity.outputs.principalId, durableState: !onScheduler }
}

module scheduler 'app/durableTaskScheduler.bicep' = if (onScheduler) {
  name: 'apim-dr-durableTaskScheduler'
  scope: rg
  params: { name: 'dts-${resourceToken}', location: location, tags: tags, appPrincipalId: identity.outputs.principalId, taskHubName: taskHubName }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'apim-dr-monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    appPrincipalId: identity.outputs.principalId
    alertEmail: alertEmail
    backupAccountName: backupAccountName
  }
}

module discoveryAccess 'app/subscriptionAccess.bicep' = [
  for subscriptionId in discoverySubscriptions: {
    name: 'apim-dr-discovery-${uniqueString(subscriptionId, environmentName)}'
    scope: subscription(subscriptionId)
    params: { appPrincipalId: identity.outputs.principalId, apimRoleId: apimRole.outputs.roleId }
  }
]

module apimAccess 'app/apimAccess.bicep' = [
  for instance in instances: {
    name: 'apim-dr-access-${uniqueString(instance.id)}'
    scope: resourceGroup(split(instance.id, '/')[2], split(instance.id, '/')[4])
    params: {
      serviceName: split(instance.id, '/')[8]
      appPrincipalId: identity.outputs.principalId
      access: instance.access
      apimRoleId: apimRole.outputs.roleId
      grantApimRole: !contains(discoverySubscriptions, toLower(split(instance.id, '/')[2]))
    }
  }
]

// One module per resource group named in networkJoinScopes, each with the scopes in that group.
var networkJoinGroups = union(map(networkJoinScopes, id => toLower('/subscriptions/${split(id, '/')[2]}/resourceGroups/${split(id, '/')[4]}')), [])

module networkJoin 'app/networkJoin.bicep' = [
  for group in networkJoinGroups: {
    name: 'apim-dr-network-${uniqueString(group)}'
    scope: resourceGroup(split(group, '/')[2], split(group, '/')[4])
    params: {
      scopeIds: filter(networkJoinScopes, id => startsWith(toLower(id), '${group}/'))
      appPrincipalId: identity.outputs.principalId
    }
  }
]

module backupStorage 'app/backupStorage.bicep' = {
  name: 'apim-dr-backupStorage'
  scope: resourceGroup(backupSubscription, backupGroup)
  params: {
    name: backupAccountName
    location: backupLocation
    tags: tags
    containerName: backupContainerName
    stateContainerName: stateContainerName
    appPrincipalId: identity.outputs.principalId
    catalogRoleId: catalogRole.outputs.roleId
    apimGrants: [
      for (instance, i) in instances: {
        principalId: apimAccess[i].outputs.storagePrincipalId
        service: split(instance.id, '/')[8]
        reads: union([split(instance.id, '/')[8]], sourcesByInstance[i].sources)
      }
    ]
    immutabilityDays: immutabilityDays
    lockImmutability: lockImmutability
    deletedRetentionDays: deletedRetentionDays
    workspaceId: monitoring.outputs.workspaceId
  }
}

// The config the app runs on, built from these parameters: the deployment and the parameters file agree.
var apimDrConfig = union(
  {
    storage: {
      account: backupStorage.outputs.name
      container: backupStorage.outputs.containerName
      stateContainer: backupStorage.outputs.stateContainerName
      endpoint: backupStorage.outputs.blobEndpoint
    }
    arm: { endpoint: environment().resourceManager }
    auth: 'managed-identity'
    identity: { clientId: identity.outputs.clientId }
    defaults: defaults
    services: services
  },
  empty(discovery) ? {} : { discovery: discovery }
)

module functionApp 'app/function.bicep' = {
  name: 'apim-dr-functionApp'
  scope: rg
  params: {
    name: appName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorage.outputs.name
    hostBlobEndpoint: hostStorage.outputs.blobEndpoint
    deploymentContainerName: hostStorage.outputs.deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.connectionString
    durableBackend: durableBackend
    apiClientId: apiClientId
    durableTaskSchedulerEndpoint: onScheduler ? scheduler!.outputs.endpoint : ''
    vaultReferences: vaultReferences
    apimDrSettings: {
      APIM_DR_CONFIG: string(apimDrConfig)
      APIM_DR_TASK_HUB: taskHubName
      // Every route needs a validated caller with an app role: the app validates the Entra ID token itself
      // (docs/authentication.md), whether or not App Service authentication is in front.
      APIM_DR_HTTP_AUTH: 'entra-id'
      APIM_DR_AUTH_TENANT_ID: tenant().tenantId
      APIM_DR_AUTH_CLIENT_ID: apiClientId
      APIM_DR_TICK_SCHEDULE: tickSchedule
      APIM_DR_SWEEP_SCHEDULE: sweepSchedule
    }
  }
}

// One module per watched resource group, deployed where its system topic is: an existing one, or created there.
module changeEvents 'app/eventGrid.bicep' = [
  for group in eventGroupIds: if (eventSubscriptions == 'true') {
    name: 'apim-dr-events-${uniqueString(group)}'
    scope: resourceGroup(split(topicsByGroup[?group] ?? group, '/')[2], split(topicsByGroup[?group] ?? group, '/')[4])
    params: {
      appName: appName
      functionAppId: functionApp.outputs.id
      tags: tags
      sourceGroupId: group
      serviceIds: eventServiceIds
      existingTopicName: empty(topicsByGroup[?group] ?? '') ? '' : split(topicsByGroup[group], '/')[8]
      identityId: identity.outputs.id
      deadLetterStorageId: hostStorage.outputs.id
      deadLetterContainerName: hostStorage.outputs.deadLetterContainerName
    }
  }
]

output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output APIM_DR_URL string = 'https://${functionApp.outputs.defaultHostName}'
output APIM_DR_BACKUP_STORAGE string = backupStorage.outputs.name
output APIM_DR_STATE_CONTAINER string = backupStorage.outputs.stateContainerName
output APIM_DR_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APIM_DR_DURABLE_BACKEND string = durableBackend
output APIM_DR_API_CLIENT_ID string = apiClientId
output APIM_DR_DURABLE_TASK_SCHEDULER_ENDPOINT string = onScheduler ? scheduler!.outputs.endpoint : ''
