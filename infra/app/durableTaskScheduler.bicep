// The Durable Task Scheduler: where the orchestrations' state and history live (Microsoft's recommended
// Durable Functions backend). Reached only with the app identity; its dashboard is at the scheduler's endpoint.

import { builtInRoles, roleDefinition } from 'roles.bicep'

param name string
param location string
param tags object
param appPrincipalId string

@description('The task hub apim-dr runs in (host.json reads it from APIM_DR_TASK_HUB).')
param taskHubName string

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: { name: 'Consumption' }
    // An empty list would deny every caller; access is by Entra ID role, below.
    ipAllowlist: ['0.0.0.0/0']
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

// The app starts, runs and queries its orchestrations in the scheduler's task hubs.
resource dataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(scheduler.id, appPrincipalId, builtInRoles.durableTaskDataContributor)
  scope: scheduler
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.durableTaskDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = scheduler.name
output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
