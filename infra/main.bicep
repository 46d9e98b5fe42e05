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

@description('Client ID of an existing app registration for apim-dr\'s HTTP API (with the DR.Reader, DR.Operator and DR.Restore app roles); empty creates one.')
param apiClientId string = ''

@description('Where Durable Functions keeps orchestration state: the Durable Task Scheduler (recommended), or the host storage account.')
@allowed(['durable-task-scheduler', 'azure-storage'])
param durableBackend string = 'durable-task-scheduler'

@minLength(1)
@description('The `services` of the apim-dr config: each protected instance with its schedule, RPO, access, standbys (and their sync), events and drill.')
param services array

@description('The `defaults` of the apim-dr config (schedule, RPO, retention, poll interval…); empty keeps the built-in ones.')
param defaults object = {}

@description('The backup container.')
param backupContainerName string = 'apim-backups'

@minValue(0)
@maxValue(30)
@description('Days each backup blob version stays immutable; 0 turns immutability off.')
param immutabilityDays int = 0

@description('E-mail address for the alert rules; empty sends nothing.')
param alertEmail string = ''

@description('How often the schedule tick runs (NCRONTAB).')
param tickSchedule string = '0 */5 * * * *'

@description('When the daily expiry sweep runs (NCRONTAB, UTC).')
param sweepSchedule string = '0 30 3 * * *'

@description('\'true\' once the functions are deployed: an Event Grid subscription needs its function to exist. The postdeploy hook sets it.')
param eventSubscriptions string = ''

@description('Only to migrate VNet-injected stv1 instances in place: resource IDs of their subnets (and public IPs, where one is set) that the app may join. Empty (the default) grants no network permission.')
param networkJoinScopes array = []

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var appName = 'func-${resourceToken}'
var taskHubName = 'apimdr${resourceToken}'
var onScheduler = durableBackend == 'durable-task-scheduler'

// Every instance the app touches: each protected one, and each standby or drill target that is not itself
// protected (a restore into one uses the default access). union() drops duplicates.
var defaultAccess = defaults.?access ?? { type: 'SystemAssignedManagedIdentity' }
var protectedIds = map(services, s => toLower(s.id))
var protectedInstances = map(services, s => { id: s.id, access: s.?access ?? defaultAccess })
var standbyIds = union(flatten(map(services, s => map(s.?standbys ?? [], standby => standby.id))), map(filter(services, s => s.?drill != null), s => s.drill.target))
var otherStandbys = map(filter(standbyIds, id => !contains(protectedIds, toLower(id))), id => { id: id, access: defaultAccess })
var instances = union(protectedInstances, otherStandbys)

var eventServiceIds = map(filter(services, s => s.?events.?enabled ?? false), s => s.id)
var eventResourceGroups = union(map(eventServiceIds, id => { subscriptionId: split(id, '/')[2], resourceGroup: split(id, '/')[4] }), [])

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

module hostStorage 'app/hostStorage.bicep' = {
  name: 'apim-dr-hostStorage'
  scope: rg
  params: { name: 'sthost${resourceToken}', location: location, tags: tags, appPrincipalId: identity.outputs.principalId, durableState: !onScheduler }
}

module appRegistration 'app/appRegistration.bicep' = if (empty(apiClientId)) {
  name: 'apim-dr-appRegistration'
  scope: rg
  params: { uniqueName: 'apim-dr-${resourceToken}', displayName: 'apim-dr (${environmentName})' }
}
var httpApiClientId = empty(apiClientId) ? appRegistration!.outputs.clientId : apiClientId

module scheduler 'app/durableTaskScheduler.bicep' = if (onScheduler) {
  name: 'apim-dr-durableTaskScheduler'
  scope: rg
  params: { name: 'dts-${resourceToken}', location: location, tags: tags, appPrincipalId: identity.outputs.principalId, taskHubName: taskHubName }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'apim-dr-monitoring'
  scope: rg
  params: { location: location, tags: tags, resourceToken: resourceToken, appPrincipalId: identity.outputs.principalId, alertEmail: alertEmail }
}

module apimAccess 'app/apimAccess.bicep' = [
  for instance in instances: {
    name: 'apim-dr-access-${uniqueString(instance.id)}'
    scope: resourceGroup(split(instance.id, '/')[2], split(instance.id, '/')[4])
    params: { serviceName: split(instance.id, '/')[8], appPrincipalId: identity.outputs.principalId, access: instance.access }
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
  scope: rg
  params: {
    name: 'stbak${resourceToken}'
    location: backupLocation
    tags: tags
    containerName: backupContainerName
    appPrincipalId: identity.outputs.principalId
    apimPrincipalIds: [for (instance, i) in instances: apimAccess[i].outputs.storagePrincipalId]
    immutabilityDays: immutabilityDays
  }
}

// The config the app runs on, built from these parameters: the deployment and the parameters file agree.
var apimDrConfig = {
  storage: { account: backupStorage.outputs.name, container: backupStorage.outputs.containerName, endpoint: backupStorage.outputs.blobEndpoint }
  arm: { endpoint: environment().resourceManager }
  auth: 'managed-identity'
  identity: { clientId: identity.outputs.clientId }
  defaults: defaults
  services: services
}

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
    apiClientId: httpApiClientId
    durableTaskSchedulerEndpoint: onScheduler ? scheduler!.outputs.endpoint : ''
    apimDrSettings: {
      APIM_DR_CONFIG: string(apimDrConfig)
      APIM_DR_TASK_HUB: taskHubName
      // Every route needs a validated caller with an app role: the app validates the Entra ID token itself
      // (docs/authentication.md), whether or not App Service authentication is in front.
      APIM_DR_HTTP_AUTH: 'entra-id'
      APIM_DR_AUTH_TENANT_ID: tenant().tenantId
      APIM_DR_AUTH_CLIENT_ID: httpApiClientId
      APIM_DR_TICK_SCHEDULE: tickSchedule
      APIM_DR_SWEEP_SCHEDULE: sweepSchedule
    }
  }
}

module changeEvents 'app/eventGrid.bicep' = [
  for group in eventResourceGroups: if (eventSubscriptions == 'true') {
    name: 'apim-dr-events-${uniqueString(group.subscriptionId, group.resourceGroup)}'
    scope: resourceGroup(group.subscriptionId, group.resourceGroup)
    params: {
      appName: appName
      functionAppId: functionApp.outputs.id
      tags: tags
      serviceIds: eventServiceIds
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
output APIM_DR_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APIM_DR_DURABLE_BACKEND string = durableBackend
output APIM_DR_API_CLIENT_ID string = httpApiClientId
output APIM_DR_DURABLE_TASK_SCHEDULER_ENDPOINT string = onScheduler ? scheduler!.outputs.endpoint : ''
