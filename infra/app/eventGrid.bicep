// Configuration-change events for the protected instances of one resource group (deployed into it): ARM's
// write, delete and action events cover every change, including policies and named values, which APIM's own
// events leave out. One system topic per resource group, one subscription per instance.

param appName string
param functionAppId string
param tags object

@description('Resource IDs of the instances with events enabled; those outside this resource group are skipped.')
param serviceIds array

@description('The app identity: Event Grid dead-letters undeliverable events to the host storage as it.')
param identityId string
param deadLetterStorageId string
param deadLetterContainerName string

@description('The Event Grid function registered in functions/events.ts.')
param functionName string = 'onConfigurationChange'

var here = '/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}/'
var mine = filter(serviceIds, id => startsWith(toLower(id), toLower(here)))

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: 'apim-dr-${appName}'
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    source: resourceGroup().id
    topicType: 'Microsoft.Resources.ResourceGroups'
  }
}

resource changes 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = [
  for id in mine: {
    parent: topic
    name: 'apim-dr-${last(split(id, '/'))}'
    properties: {
      destination: {
        endpointType: 'AzureFunction'
        properties: {
          resourceId: '${functionAppId}/functions/${functionName}'
          maxEventsPerBatch: 1
        }
      }
      filter: {
        subjectBeginsWith: id
        includedEventTypes: [
          'Microsoft.Resources.ResourceWriteSuccess'
          'Microsoft.Resources.ResourceDeleteSuccess'
          'Microsoft.Resources.ResourceActionSuccess'
        ]
      }
      eventDeliverySchema: 'EventGridSchema'
      retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
      deadLetterWithResourceIdentity: {
        identity: { type: 'UserAssigned', userAssignedIdentity: identityId }
        deadLetterDestination: {
          endpointType: 'StorageBlob'
          properties: { resourceId: deadLetterStorageId, blobContainerName: deadLetterContainerName }
        }
      }
    }
  }
]
