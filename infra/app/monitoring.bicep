// Logs, Application Insights (Entra ID ingestion only) and an alert rule for each event that needs a person.

import { builtInRoles, roleDefinition } from 'roles.bicep'

param location string
param tags object
param resourceToken string
param appPrincipalId string

@description('E-mail address that receives the alerts; empty: the rules fire and show in the portal only.')
param alertEmail string

@description('The backup storage account, whose blob deletes are audited here.')
param backupAccountName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Only Entra ID-authenticated telemetry is accepted: the connection string alone cannot write.
    DisableLocalAuth: true
  }
}

// The app sends its telemetry with its identity, since local auth is off.
resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, builtInRoles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: roleDefinition(builtInRoles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: 'ag-${resourceToken}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'apim-dr'
    enabled: true
    emailReceivers: [{ name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

// The structured events apim-dr logs (one JSON object per trace message) that need a person.
var alerts = [
  { event: 'apim-dr.backup.failed', severity: 2, why: 'A backup failed; the instance keeps its previous backups, but its RPO clock is running.' }
  { event: 'apim-dr.restore.failed', severity: 1, why: 'A restore failed: the standby is not what the operator asked for.' }
  { event: 'apim-dr.rpo.breach', severity: 2, why: 'An instance\'s newest restorable backup is older than its RPO.' }
  { event: 'apim-dr.restorable.none', severity: 0, why: 'An instance has no backup that can still be restored: it cannot be rebuilt.' }
  { event: 'apim-dr.drill.failed', severity: 2, why: 'A restore drill failed: the backups may not restore when they are needed.' }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [
  for alert in alerts: {
    name: 'apim-dr ${alert.event}'
    location: location
    tags: tags
    properties: {
      displayName: alert.event
      description: alert.why
      severity: alert.severity
      enabled: true
      scopes: [appInsights.id]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT10M'
      criteria: {
        allOf: [
          {
            query: 'traces | where message has "${alert.event}" | extend record = parse_json(message) | where tostring(record.event) == "${alert.event}" | extend service = tostring(coalesce(record.service, record.target))'
            timeAggregation: 'Count'
            dimensions: [{ name: 'service', operator: 'Include', values: ['*'] }]
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
          }
        ]
      }
      // Stateful: one alert per instance while the condition lasts, resolved when it stops.
      autoMitigate: true
      actions: { actionGroups: empty(alertEmail) ? [] : [actionGroup.id] }
    }
  }
]

// A delete in the backup account that the app's identity did not make: lifecycle rules, a person, or an attacker
// holding an APIM instance's identity. Failed attempts (refused by immutability or a condition) count too.
resource foreignDelete 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: 'apim-dr backup deleted by another identity'
  location: location
  tags: tags
  properties: {
    displayName: 'apim-dr.backup.foreign-delete'
    description: 'A blob or container in the backup account was deleted, or a delete was attempted, by an identity other than apim-dr\'s.'
    severity: 1
    enabled: true
    scopes: [workspace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT10M'
    criteria: {
      allOf: [
        {
          query: 'StorageBlobLogs | where AccountName == "${backupAccountName}" | where OperationName in ("DeleteBlob", "DeleteContainer", "UndeleteBlob", "SetBlobImmutabilityPolicy", "DeleteBlobImmutabilityPolicy") | where RequesterObjectId != "${appPrincipalId}" | extend requester = coalesce(RequesterObjectId, RequesterUpn, CallerIpAddress)'
          timeAggregation: 'Count'
          dimensions: [{ name: 'requester', operator: 'Include', values: ['*'] }]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    autoMitigate: false
    actions: { actionGroups: empty(alertEmail) ? [] : [actionGroup.id] }
  }
}

output workspaceId string = workspace.id
output connectionString string = appInsights.properties.ConnectionString
output appInsightsName string = appInsights.name
