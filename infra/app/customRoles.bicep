// The two custom roles apim-dr needs, each with exactly the actions it uses. A role's name must be unique in the
// tenant, so each carries a token of this deployment's subscription and environment.
targetScope = 'subscription'

@description('Names the roles: the azd environment name.')
param environmentName string

@description('Where the APIM role may be assigned: the subscriptions of every instance (and of tag discovery).')
param apimScopes array

@description('Where the catalog role may be assigned: the backup storage account\'s resource group.')
param catalogScope string

var token = uniqueString(subscription().id, environmentName)

@export()
@description('What apim-dr calls on an APIM instance (src/azure/apimOperations.ts), and nothing else.')
var apimActions = [
  // getService: the instance, its SKU, platform, identity and hostnames.
  'Microsoft.ApiManagement/service/read'
  // start('backup') and start('restore').
  'Microsoft.ApiManagement/service/backup/action'
  'Microsoft.ApiManagement/service/restore/action'
  // startMigration: in-place migration off stv1 (the Operator Role lacks it).
  'Microsoft.ApiManagement/service/migrateToStv2/action'
  // check(): a resumed poller GETs the operation's Location, …/service/{name}/operationresults/{id}.
  'Microsoft.ApiManagement/service/operationresults/read'
  // countWorkspaceGateways: an instance with workspace gateways cannot be backed up.
  'Microsoft.ApiManagement/service/workspaceLinks/read'
  // countInventory: the manifest's inventory, which a restore is verified against.
  'Microsoft.ApiManagement/service/apis/read'
  'Microsoft.ApiManagement/service/products/read'
  'Microsoft.ApiManagement/service/namedValues/read'
]

@export()
@description('What the app does in the backup container: manifests, index tags, the sweep\'s deletes and tier changes.')
var catalogDataActions = [
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/read'
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write'
  'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/filter/action'
]

resource apimRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'apim-dr-apim')
  properties: {
    roleName: 'apim-dr APIM backup and restore (${environmentName} ${token})'
    description: 'Read an API Management instance and its workspace links, APIs, products and named values; back it up, restore into it, migrate it to stv2, and follow those operations. No write, no delete.'
    type: 'CustomRole'
    permissions: [{ actions: apimActions, notActions: [] }]
    assignableScopes: apimScopes
  }
}

// Not Storage Blob Data Owner: no immutability policy, no ACLs, no version or permanent delete.
resource catalogRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'apim-dr-catalog')
  properties: {
    roleName: 'apim-dr backup catalog (${environmentName} ${token})'
    description: 'Read and write blobs and their index tags, find blobs by tag, delete current blob versions. Cannot delete versions, bypass soft delete or change immutability.'
    type: 'CustomRole'
    // containers/read: Get Container Properties, which the catalog calls to check the container is reachable.
    permissions: [{ actions: ['Microsoft.Storage/storageAccounts/blobServices/containers/read'], notActions: [], dataActions: catalogDataActions, notDataActions: [] }]
    assignableScopes: [catalogScope]
  }
}

@description('The role definition GUIDs (a role assignment names them in its own subscription).')
output apimRoleId string = apimRole.name
output catalogRoleId string = catalogRole.name
