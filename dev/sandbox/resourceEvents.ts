/**
 * The ARM resource events a resource group's Event Grid system topic delivers for the sandbox's own actions
 * (`…/backup/action`, `…/restore/action`, `…/migrateToStv2/action`), in the shape of Microsoft's published
 * ResourceActionSuccess sample: topic, subject, data with authorization, claims, correlationId, httpRequest,
 * resourceProvider, resourceUri, operationName, status, subscriptionId, tenantId.
 */
import { randomUUID } from 'node:crypto';
import { APIM_ROLE } from '../../src/azure/apimRole';
import { sandboxTokenExpiry } from '../../src/azure/sandboxCredential';
import { fakeGuid, type SandboxService } from './model';

/** What ARM keeps of the request that started an action, for the event it raises when the action ends. */
export interface ActionRequest {
  url: string;
  clientRequestId: string;
  correlationId: string;
  clientIpAddress: string;
  /** The caller's bearer token (the sandbox's are opaque; its expiry becomes the `exp` claim). */
  token: string;
  at: Date;
}

const SANDBOX_TENANT = fakeGuid('tenant');

export function resourceActionEvent(service: SandboxService, action: string, request: ActionRequest, ok: boolean, at: Date): Record<string, unknown> {
  const { subscriptionId, resourceGroup } = service.spec;
  const operationName = `Microsoft.ApiManagement/service/${action}/action`;
  const principal = fakeGuid('sandbox-caller');
  const issuedAt = Math.floor(request.at.getTime() / 1000);
  const expiresAt = Math.floor((sandboxTokenExpiry(request.token) ?? request.at.getTime() + 3_600_000) / 1000);
  return {
    subject: service.id,
    eventType: ok ? 'Microsoft.Resources.ResourceActionSuccess' : 'Microsoft.Resources.ResourceActionFailure',
    eventTime: at.toISOString(),
    id: randomUUID(),
    data: {
      authorization: {
        scope: service.id,
        action: operationName,
        evidence: {
          role: `${APIM_ROLE.name} (sandbox)`,
          roleAssignmentScope: service.id,
          roleAssignmentId: fakeGuid(`${service.id}/operator`).replace(/-/g, ''),
          // A custom role's definition ID is a GUID of its own, as `azd provision` makes it.
          roleDefinitionId: fakeGuid('apim-dr-apim-role').replace(/-/g, ''),
          principalId: principal.replace(/-/g, ''),
          principalType: 'ServicePrincipal',
        },
      },
      claims: {
        aud: 'https://management.azure.com/',
        iss: `https://sts.windows.net/${SANDBOX_TENANT}/`,
        iat: String(issuedAt),
        nbf: String(issuedAt),
        exp: String(expiresAt),
        aio: 'sandbox',
        appid: fakeGuid('sandbox-app'),
        appidacr: '2',
        'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${SANDBOX_TENANT}/`,
        'http://schemas.microsoft.com/identity/claims/objectidentifier': principal,
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier': principal,
        'http://schemas.microsoft.com/identity/claims/tenantid': SANDBOX_TENANT,
        uti: fakeGuid(`${request.clientRequestId}/uti`).replace(/-/g, '').slice(0, 22),
        ver: '1.0',
      },
      correlationId: request.correlationId,
      httpRequest: { clientRequestId: request.clientRequestId, clientIpAddress: request.clientIpAddress, method: 'POST', url: request.url },
      resourceProvider: 'Microsoft.ApiManagement',
      resourceUri: service.id,
      operationName,
      status: ok ? 'Succeeded' : 'Failed',
      subscriptionId,
      tenantId: SANDBOX_TENANT,
    },
    dataVersion: '2',
    metadataVersion: '1',
    topic: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
  };
}
