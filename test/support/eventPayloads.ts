/** Event payloads in the shapes Event Grid delivers them (APIM system topic and ARM resource events). */
import { randomUUID } from 'node:crypto';

export function apimEvent(serviceId: string, eventType: string, resource: string, at: Date, id: string = randomUUID()) {
  return {
    id,
    topic: serviceId,
    subject: resource,
    eventType,
    eventTime: at.toISOString(),
    data: { resourceUri: `${serviceId}${resource}` },
    dataVersion: '1',
    metadataVersion: '1',
  };
}

export function armEvent(serviceId: string, eventType: string, operationName: string, resource: string, at: Date, id: string = randomUUID()) {
  const resourceUri = `${serviceId}${resource}`;
  const subscription = serviceId.split('/').slice(0, 3).join('/');
  return {
    id,
    topic: subscription,
    subject: resourceUri,
    eventType,
    eventTime: at.toISOString(),
    data: {
      authorization: { scope: resourceUri, action: operationName, evidence: { role: 'Contributor' } },
      correlationId: randomUUID(),
      resourceProvider: 'Microsoft.ApiManagement',
      resourceUri,
      operationName,
      status: 'Succeeded',
      subscriptionId: subscription.split('/')[2],
      tenantId: '00000000-0000-0000-0000-0000000000aa',
    },
    dataVersion: '2',
    metadataVersion: '1',
  };
}

export function cloudEvent(serviceId: string, type: string, resource: string, at: Date, id: string = randomUUID()) {
  return { specversion: '1.0', id, type, source: serviceId, subject: resource, time: at.toISOString(), data: { resourceUri: `${serviceId}${resource}` } };
}
