// The backup storage account: APIM writes backups here with its managed identity; apim-dr writes the catalog.
// Separate from the host's storage so that its access, redundancy and retention answer to DR alone.

import { builtInRoles, roleDefinition } from 'roles.bicep'

param name string
param location string
param tags object
param containerName string
param appPrincipalId string

@description('Principal IDs of the APIM instances\' identities (protected and standby); empty strings are skipped.')
param apimPrincipalIds array

@description('Days each blob version stays immutable (WORM); 0 turns immutability off.')
@minValue(0)
@maxValue(30)
param immutabilityDays int

@description('Zone- and geo-redundant by default: a backup kept only in the region that failed restores nothing.')
param skuName string = 'Standard_GZRS'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: skuName }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // Should you close the firewall, keep trusting Azure services: APIM reaches the account as one.
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
    // Version-level WORM: a manifest update writes a new version, and an immutable backup's delete is refused,
    // which the sweep records and retries later.
    immutableStorageWithVersioning: immutabilityDays > 0
      ? {
          enabled: true
          immutabilityPolicy: {
            immutabilityPeriodSinceCreationInDays: immutabilityDays
            state: 'Unlocked'
            allowProtectedAppendWrites: false
          }
        }
      : null
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // APIM backup and restore need blob service CORS off.
    cors: { corsRules: [] }
    isVersioningEnabled: true
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: containerName
  properties: { publicAccess: 'None' }
}

// A second safety net behind the sweep: apim-dr's blobs (backup and manifest) carry a `state` index tag, so
// these rules reach them and nothing else in the container. 32 days is past every backup's 30-day window.
var catalogStates = ['running', 'succeeded', 'failed', 'expired']

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        for state in catalogStates: {
          name: 'apim-dr-${state}-after-32-days'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${containerName}/']
              blobIndexMatch: [{ name: 'state', op: '==', value: state }]
            }
            actions: {
              baseBlob: { delete: { daysAfterCreationGreaterThan: 32 } }
              // Versioning keeps what the sweep deletes as a previous version; a week later it goes too.
              version: { delete: { daysAfterCreationGreaterThan: 7 } }
            }
          }
        }
      ]
    }
  }
}

// The catalog: manifests, index tags (setting and querying them is Owner-only among built-in roles),
// the sweep's deletes and archive tier changes. Scoped to the one container.
resource appCatalog 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, appPrincipalId, builtInRoles.storageBlobDataOwner)
  scope: container
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.storageBlobDataOwner)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Each APIM instance writes its backup blob and reads it back on restore, as its own managed identity.
resource apimBackups 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in filter(apimPrincipalIds, p => !empty(p)): {
    name: guid(container.id, principalId, builtInRoles.storageBlobDataContributor)
    scope: container
    properties: {
      roleDefinitionId: roleDefinition(builtInRoles.storageBlobDataContributor)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output containerName string = container.name
