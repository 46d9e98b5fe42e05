// The built-in Azure roles apim-dr assigns. Built-in role definition IDs are the same in every subscription
// and cloud; test/infra checks each one against the role it claims to be.

@export()
@description('Built-in role definition IDs, by role name.')
var builtInRoles = {
  // Read every resource: Azure Resource Graph returns only what the caller can read (tag discovery).
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
  // Read, write and delete blobs: Microsoft's role for APIM's backup identity; a condition narrows it per instance.
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // The host's own storage only (leases, deployment package); never the backup account.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Durable Functions' work-item and control queues in the host storage account.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Durable Functions' history and instance tables in the host storage account.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Sending telemetry to Application Insights with Entra ID, since its local (key) auth is off.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // Orchestrations and activities in the Durable Task Scheduler's task hubs.
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'
}

@export()
@description('The roleDefinitionId property for a built-in role.')
func roleDefinition(roleId string) string => subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
