// Tag discovery across one subscription: the app reads every resource (Azure Resource Graph answers only with
// what the caller may read) and holds its APIM role on every instance there, present and future, so that an
// instance tagged later needs no new grant for the app. Its own identity's storage grant is the operator's step
// (docs/infrastructure.md).
targetScope = 'subscription'

import { builtInRoles, roleDefinition } from 'roles.bicep'

param appPrincipalId string

@description('GUID of apim-dr\'s custom APIM role (apimRole.bicep).')
param apimRoleId string

// Resource Graph's query for tagged APIM instances sees only what the app may read.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, appPrincipalId, builtInRoles.reader)
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.reader)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Back up, restore and migrate whichever instance the tag selects, without a grant per instance.
resource apimAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, appPrincipalId, apimRoleId)
  properties: {
    roleDefinitionId: roleDefinition(apimRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}
