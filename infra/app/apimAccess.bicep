// One APIM instance, protected or standby, deployed into its own resource group (any subscription in the
// tenant): lets the app back it up, restore into it and migrate it, and reports the identity APIM uses for storage.

import { roleDefinition } from 'roles.bicep'

param serviceName string
param appPrincipalId string

@description('The instance\'s `access` from the apim-dr config: how APIM reaches the backup storage.')
param access object

@description('GUID of apim-dr\'s custom APIM role (apimRole.bicep).')
param apimRoleId string

@description('False when the role is granted on the whole subscription already (tag discovery).')
param grantApimRole bool

resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: serviceName
}

// Exactly what apim-dr calls on this instance: read, backup, restore, migrateToStv2 and their status.
resource apimAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (grantApimRole) {
  name: guid(apim.id, appPrincipalId, apimRoleId)
  scope: apim
  properties: {
    roleDefinitionId: roleDefinition(apimRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

var where = 'API Management instance \'${apim.id}\''
var accessClientId = access.?clientId ?? ''
// `.?identity`: an instance without any managed identity has no identity property to read.
var systemPrincipalId = apim.?identity.?principalId ?? ''
var userAssigned = filter(items(apim.?identity.?userAssignedIdentities ?? {}), entry => entry.value.clientId == accessClientId)

// A missing identity would otherwise surface as an opaque template error half-way through the deployment.
var systemAssigned = empty(systemPrincipalId)
  ? fail('${where} has no system-assigned managed identity, which its access.type SystemAssignedManagedIdentity needs to reach the backup storage. Fix: turn on its system-assigned identity (portal: the instance > Managed identities), or set access to UserAssignedManagedIdentity with the client ID of one of its user-assigned identities.')
  : systemPrincipalId
var userAssignedMatch = empty(userAssigned)
  ? fail('${where} has no user-assigned managed identity with client ID \'${accessClientId}\' (its access.clientId). Fix: assign that identity to the instance, or correct access.clientId to the client ID of one it has.')
  : userAssigned[0].value.principalId

@description('The principal APIM reads and writes backup blobs as.')
output storagePrincipalId string = access.type == 'SystemAssignedManagedIdentity' ? systemAssigned : userAssignedMatch
