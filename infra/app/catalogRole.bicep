// The role apim-dr's identity holds on the backup container instead of Storage Blob Data Owner: manifests, index
// tags, the sweep's deletes and tier changes, and nothing that changes immutability or deletes a version. Defined
// in the backup account's subscription, assignable in its resource group; named uniquely in the tenant.
targetScope = 'subscription'

@description('Names the role: the azd environment name.')
param environmentName string

@description('The backup storage account\'s resource group name (in this subscription).')
param backupResourceGroup string

var blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs'

resource catalogRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'apim-dr-catalog')
  properties: {
    roleName: 'apim-dr backup catalog (${environmentName} ${uniqueString(subscription().id, environmentName)})'
    description: 'Read and write blobs and their index tags, find blobs by tag, delete current blob versions. Cannot delete versions, bypass soft delete or change immutability.'
    type: 'CustomRole'
    permissions: [
      {
        // Get Container Properties: the catalog checks its container exists before it writes.
        actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read']
        notActions: []
        dataActions: [
          '${blobs}/read'
          '${blobs}/write'
          '${blobs}/add/action'
          '${blobs}/delete'
          '${blobs}/tags/read'
          '${blobs}/tags/write'
          '${blobs}/filter/action'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: [subscriptionResourceId('Microsoft.Resources/resourceGroups', backupResourceGroup)]
  }
}

@description('The role definition GUID.')
output roleId string = catalogRole.name
