// Configuration-change events for the protected instances of one resource group: ARM's write, delete and action
// events cover every change, including policies and named values, which APIM's own events leave out. Azure allows
// one system topic per source, so an existing topic for the group is reused (existingTopicName) and only the
// subscriptions are added to it; otherwise this module creates the topic. Deployed into the topic's resource group.

param appName string
param functionAppId string
param tags object

@description('Resource ID of the resource group whose events are watched (the topic\'s source).')
param sourceGroupId string

@description('Resource IDs of the instances with events enabled; those outside the source group are skipped.')
param serviceIds array

@description('Name of an existing system topic for the source group, in this resource group; empty creates one.')
param existingTopicName string = ''

@description('The app identity: Event Grid dead-letters undeliverable events to the host storage as it.')
param identityId string
param deadLetterStorageId string
param deadLetterContainerName string

@description('The Event Grid function registered in functions/events.ts.')
param functionName string = 'onConfigurationChange'

var mine = filter(serviceIds, id => startsWith(toLower(id), toLower('${sourceGroupId}/')))

// Named after this app and the instance: on a shared topic, another environment's subscription keeps its own name.
func subscriptionName(appName string, serviceId string) string => take('${appName}-${last(split(serviceId, '/'))}', 64)
var reuse = !empty(existingTopicName)

resource created 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = if (!reuse) {
  name: 'apim-dr-${appName}'
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    source: sourceGroupId
    topicType: 'Microsoft.Resources.ResourceGroups'
  }
}

resource existing 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' existing = if (reuse) {
  name: existingTopicName
}

var delivery = {
  destination: {
    endpointType: 'AzureFunction'
    properties: {
      resourceId: '${functionAppId}/functions/${functionName}'
      maxEventsPerBatch: 1
    }
  }
  eventDeliverySchema: 'EventGridSchema'
  retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
}

// Dead letters need the topic to carry the app identity, which only a topic apim-dr created does: a reused topic
// delivers with the same retries but drops what it cannot deliver after 24 hours (the next backup still runs).
var deadLetter = {
  deadLetterWithResourceIdentity: {
    identity: { type: 'UserAssigned', userAssignedIdentity: identityId }
    deadLetterDestination: {
      endpointType: 'StorageBlob'
      properties: { resourceId: deadLetterStorageId, blobContainerName: deadLetterContainerName }
    }
  }
}

resource createdSubscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = [
  for id in (reuse ? [] : mine): {
    parent: created
    name: subscriptionName(appName, id)
    properties: union(delivery, deadLetter, { filter: changeFilter(id) })
  }
]

resource reusedSubscriptions 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = [
  for id in (reuse ? mine : []): {
    parent: existing
    name: subscriptionName(appName, id)
    properties: union(delivery, { filter: changeFilter(id) })
  }
]

func changeFilter(serviceId string) object => {
  subjectBeginsWith: serviceId
  // Only writes and deletes change a configuration; actions (backup, restore, migrateToStv2, tokens) never do (docs/how-it-works.md).
  includedEventTypes: [
    'Microsoft.Resources.ResourceWriteSuccess'
    'Microsoft.Resources.ResourceDeleteSuccess'
  ]
}
