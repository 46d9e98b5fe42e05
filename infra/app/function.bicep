// The Functions app on Flex Consumption: Node, the app identity only, no keys in any setting.

param name string
param location string
param tags object
param identityId string
param identityClientId string
param hostStorageName string
param hostBlobEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string

@description('The app settings apim-dr itself reads: APIM_DR_CONFIG, the task hub and the timer schedules.')
param apimDrSettings object

@description('Key Vault references for the secrets snapshot-synced standbys get (`standbys[].secrets`): {\'<NAME>\': \'<secret URI>\'} becomes the setting APIM_DR_SECRET_<NAME> = @Microsoft.KeyVault(SecretUri=<secret URI>). URIs, never secrets.')
param vaultReferences object = {}

@description('Client ID of apim-dr\'s app registration: the only audience its HTTP API accepts tokens for.')
param apiClientId string

@description('Where Durable Functions keeps orchestration state: the Durable Task Scheduler (its endpoint given) or the host storage account.')
@allowed(['durable-task-scheduler', 'azure-storage'])
param durableBackend string

@description('The Durable Task Scheduler endpoint, with durableBackend \'durable-task-scheduler\'.')
param durableTaskSchedulerEndpoint string = ''

@description('Node major version: Flex Consumption runs 20 and 22; 20 reached end of life in April 2026.')
param nodeVersion string = '22'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings (the APIM_DR_SECRET_… a standby's `secrets` names) resolve as the app's only identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobEndpoint}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: nodeVersion }
    }
  }
}

var hostSettings = {
  // The host and Durable Functions reach their storage as the app identity.
  AzureWebJobsStorage__accountName: hostStorageName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  // Not a secret: with local auth off, only Entra ID-authenticated telemetry is accepted.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

// host.json names the Durable Task Scheduler; its connection is keyless (the app identity, by client ID).
var schedulerSettings = {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTaskSchedulerEndpoint};Authentication=ManagedIdentity;ClientID=${identityClientId}'
}

// The Azure Storage backend instead: app settings override host.json's storage provider, onto AzureWebJobsStorage.
var storageBackendSettings = {
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'AzureStorage'
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'AzureWebJobsStorage'
}

// Prefixed here, so a reference can only ever be an APIM_DR_SECRET_ setting, never one of the app's own.
var secretSettings = toObject(items(vaultReferences), s => 'APIM_DR_SECRET_${s.key}', s => '@Microsoft.KeyVault(SecretUri=${s.value})')

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(hostSettings, durableBackend == 'durable-task-scheduler' ? schedulerSettings : storageBackendSettings, apimDrSettings, secretSettings)
}

// Entra ID in front of every HTTP route: a request without a valid token for apim-dr's app registration is a 401
// before any code runs, and the routes then check the caller's app role. The platform strips forged principal
// headers. Event Grid's webhook is left to the extension's own system key.
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: ['/runtime/webhooks/EventGrid']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: apiClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: { allowedAudiences: [apiClientId, 'api://${apiClientId}'] }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

// Deployment goes through azd with Entra ID; basic-auth publishing stays off.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName
