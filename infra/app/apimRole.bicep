// apim-dr's custom APIM role, with exactly the actions it uses. A role's name must be unique in the tenant, so it
// carries a token of this deployment's subscription and environment. Defined in the deployment's subscription and
// assignable in every subscription that holds an instance (or that tag discovery searches).
targetScope = 'subscription'

@description('Names the role: the azd environment name.')
param environmentName string

@description('Where the role may be assigned: the subscriptions of every instance (and of tag discovery), this one included.')
param assignableScopes array

@description('What apim-dr calls on an APIM instance (src/azure/apimOperations.ts; src/azure/apimRole.ts names the same list).')
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

resource apimRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, environmentName, 'apim-dr-apim')
  properties: {
    roleName: 'apim-dr APIM backup and restore (${environmentName} ${uniqueString(subscription().id, environmentName)})'
    description: 'Read an API Management instance and its workspace links, APIs, products and named values; back it up, restore into it, migrate it to stv2, and follow those operations. No write, no delete.'
    type: 'CustomRole'
    permissions: [{ actions: apimActions, notActions: [] }]
    assignableScopes: assignableScopes
  }
}

@description('The role definition GUID (an assignment names it in its own subscription).')
output roleId string = apimRole.name
