// The backup storage account: APIM writes backups here with its managed identity; apim-dr writes the catalog, and
// keeps its own state in a second container no APIM identity can touch. Deployed into the app's resource group, or
// one the operator names (another group or subscription, the stronger choice: see docs/infrastructure.md).

import { builtInRoles, roleDefinition } from 'roles.bicep'

param name string
param location string
param tags object
param containerName string

@description('apim-dr\'s own state (records, operation tokens, change logs): written by the app identity only.')
param stateContainerName string

param appPrincipalId string

@description('GUID of the custom catalog role (catalogRole.bicep) the app holds on the backup container.')
param catalogRoleId string

@description('One entry per APIM instance: {principalId, service, reads}. It writes blobs named `<service>.…` and reads those of `reads` (its own and those of the instances it stands in for).')
param apimGrants array

@description('Days each blob version stays immutable (WORM) after it is written; 0 turns immutability off.')
@minValue(0)
@maxValue(30)
param immutabilityDays int

@description('Lock the immutability policy. IRREVERSIBLE: the period can then only be lengthened, and the account cannot be deleted while any version is immutable.')
param lockImmutability bool

@description('Days a deleted blob, container or previous version is kept: at least the 30-day backup retention.')
@minValue(30)
@maxValue(365)
param deletedRetentionDays int

@description('Log Analytics workspace that receives the blob write and delete logs.')
param workspaceId string

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
    // apim-dr's deployment refuses access.type AccessKey (main.bicep): every caller uses Entra ID.
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
            // max() only satisfies the type checker: this branch runs with immutabilityDays > 0.
            immutabilityPeriodSinceCreationInDays: max(immutabilityDays, 1)
            state: lockImmutability ? 'Locked' : 'Unlocked'
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
    deleteRetentionPolicy: { enabled: true, days: deletedRetentionDays }
    containerDeleteRetentionPolicy: { enabled: true, days: deletedRetentionDays }
  }
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: containerName
  properties: { publicAccess: 'None' }
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: stateContainerName
  properties: { publicAccess: 'None' }
}

// A second safety net behind the sweep: apim-dr's blobs (backup and manifest) carry a `state` index tag, so
// these rules reach them and nothing else in the container. 32 days is past every backup's 30-day window.
var catalogStates = ['running', 'succeeded', 'failed', 'expired']

var catalogRules = [
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
        // A version is as old as its write: one the sweep leaves at day 30-32 is kept deletedRetentionDays more.
        version: { delete: { daysAfterCreationGreaterThan: 32 + deletedRetentionDays } }
      }
    }
  }
]

// Every write of apim-dr's state makes a version (versioning is account-wide): kept as long as deleted blobs.
var stateRule = {
  name: 'apim-dr-state-versions'
  enabled: true
  type: 'Lifecycle'
  definition: {
    filters: { blobTypes: ['blockBlob'], prefixMatch: ['${stateContainerName}/'] }
    actions: { version: { delete: { daysAfterCreationGreaterThan: deletedRetentionDays } } }
  }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: { policy: { rules: concat(catalogRules, [stateRule]) } }
}

// The catalog: manifests, index tags, the sweep's deletes and tier changes, on the one container. The condition
// keeps its deletes to apim-dr's own file kinds; the role itself holds no version delete and no immutability action.
resource appCatalog 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, appPrincipalId, catalogRoleId)
  scope: container
  properties: {
    roleDefinitionId: roleDefinition(catalogRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike \'*.apimbackup\' OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike \'*.manifest.json\'))'
  }
}

// apim-dr's own state: only the app identity reads or writes it; no APIM identity holds anything here.
resource appState 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(stateContainer.id, appPrincipalId, builtInRoles.storageBlobDataContributor)
  scope: stateContainer
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.storageBlobDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

var blobPath = '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]'
var writes = ['write', 'add/action', 'delete']
var writeActions = join(map(writes, action => '!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${action}\'})'), ' AND ')
// Reading one blob (not listing, which has no blob path and shows only names).
var readAction = '!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'} AND NOT SubOperationMatches{\'Blob.List\'})'

// Each APIM instance writes (and may delete) only blobs named `<its name>.…`, and reads only its own and those
// of the instances it stands in for: a compromised instance cannot touch another's backups.
resource apimBackups 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in apimGrants: {
    name: guid(container.id, grant.principalId, builtInRoles.storageBlobDataContributor, toLower(grant.service))
    scope: container
    properties: {
      roleDefinitionId: roleDefinition(builtInRoles.storageBlobDataContributor)
      principalId: grant.principalId
      principalType: 'ServicePrincipal'
      conditionVersion: '2.0'
      condition: '((${writeActions}) OR (${blobPath} StringStartsWithIgnoreCase \'${grant.service}.\')) AND ((${readAction}) OR (${join(map(grant.reads, service => '${blobPath} StringStartsWithIgnoreCase \'${service}.\''), ' OR ')}))'
    }
  }
]

// Azure Resource Manager refuses to delete the account (or its containers through ARM) while this lock stands.
resource deleteLock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'apim-dr-backups-cannot-be-deleted'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'apim-dr keeps API Management backups here; remove this lock only to retire apim-dr.'
  }
}

// Every write and delete on the blobs, for the audit and the alert on a delete apim-dr did not make.
resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'apim-dr-blob-audit'
  scope: blobs
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output containerName string = container.name
output stateContainerName string = stateContainer.name
