// The Functions host's own storage: deployment package, timer leases, Event Grid dead letters, and the Durable
// Functions task hub when the Azure Storage backend is chosen.
// Reached only with the app identity; shared keys are off.

import { builtInRoles, roleDefinition } from 'roles.bicep'

param name string
param location string
param tags object
param appPrincipalId string

@description('True when Durable Functions keeps its state here (the Azure Storage backend): it then needs queues and tables.')
param durableState bool

@description('Where Flex Consumption keeps the deployment package.')
param deploymentContainerName string = 'app-package'

@description('Where Event Grid puts change events it could not deliver.')
param deadLetterContainerName string = 'eventgrid-deadletter'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource deadLetterContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deadLetterContainerName
  properties: { publicAccess: 'None' }
}

// The host's blob leases and the deployment package; Event Grid dead-letters as this identity too.
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, builtInRoles.storageBlobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Durable Functions on Azure Storage dispatches orchestration and activity work through queues.
resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (durableState) {
  name: guid(account.id, appPrincipalId, builtInRoles.storageQueueDataContributor)
  scope: account
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.storageQueueDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Durable Functions on Azure Storage keeps orchestration history and instance state in tables.
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (durableState) {
  name: guid(account.id, appPrincipalId, builtInRoles.storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.storageTableDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output id string = account.id
output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
output deadLetterContainerName string = deadLetterContainer.name
