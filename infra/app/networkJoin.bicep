// Only for VNet-injected stv1 instances that apim-dr migrates in place: 'join' on the named subnets and public IPs
// of one resource group, through a custom role that holds nothing else. Deployed only when networkJoinScopes names some.

@description('Resource IDs of subnets and public IP addresses in this resource group that the migration joins.')
param scopeIds array

param appPrincipalId string

var subnetIds = filter(scopeIds, id => contains(toLower(id), '/subnets/'))
var publicIpIds = filter(scopeIds, id => contains(toLower(id), '/publicipaddresses/'))

resource joinRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'apim-dr-network-join')
  properties: {
    // Role names are unique per tenant: the group's name alone repeats across subscriptions.
    roleName: 'apim-dr network join (${resourceGroup().name} ${uniqueString(resourceGroup().id)})'
    description: 'Join a subnet or public IP address: what migrateToStv2 needs for a VNet-injected API Management instance, and nothing else.'
    type: 'CustomRole'
    permissions: [
      {
        actions: ['Microsoft.Network/virtualNetworks/subnets/join/action', 'Microsoft.Network/publicIPAddresses/join/action']
        notActions: []
      }
    ]
    assignableScopes: [resourceGroup().id]
  }
}

resource subnets 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = [
  for id in subnetIds: {
    name: '${split(id, '/')[8]}/${split(id, '/')[10]}'
  }
]

resource publicIps 'Microsoft.Network/publicIPAddresses@2024-05-01' existing = [
  for id in publicIpIds: {
    name: split(id, '/')[8]
  }
]

// migrateToStv2 of a VNet-injected instance joins its subnet (the APIM role cannot): on that subnet only.
resource subnetJoin 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (id, i) in subnetIds: {
    name: guid(subnets[i].id, appPrincipalId, joinRole.id)
    scope: subnets[i]
    properties: {
      roleDefinitionId: joinRole.id
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

// An instance that names its own public IP joins that address during the migration: on that address only.
resource publicIpJoin 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (id, i) in publicIpIds: {
    name: guid(publicIps[i].id, appPrincipalId, joinRole.id)
    scope: publicIps[i]
    properties: {
      roleDefinitionId: joinRole.id
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]
