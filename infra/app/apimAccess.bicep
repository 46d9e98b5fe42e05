// One APIM instance, protected or standby, deployed into its own resource group (any subscription in the
// tenant): lets the app back it up and restore into it, and reports the identity APIM uses for storage.

import { builtInRoles, roleDefinition } from 'roles.bicep'

param serviceName string
param appPrincipalId string

@description('The instance\'s `access` from the apim-dr config: how APIM reaches the backup storage.')
param access object

resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: serviceName
}

// Read, backup/action and restore/action on this instance; the Operator Role is the least built-in role with them.
resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(apim.id, appPrincipalId, builtInRoles.apiManagementServiceOperatorRole)
  scope: apim
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.apiManagementServiceOperatorRole)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

var accessClientId = access.?clientId ?? ''
var userAssigned = filter(items(apim.identity.?userAssignedIdentities ?? {}), entry => entry.value.clientId == accessClientId)

@description('The principal APIM reads and writes backup blobs as; empty with AccessKey, which needs no role.')
output storagePrincipalId string = access.type == 'SystemAssignedManagedIdentity'
  ? apim.identity.principalId
  : access.type == 'UserAssignedManagedIdentity' ? userAssigned[0].value.principalId : ''
