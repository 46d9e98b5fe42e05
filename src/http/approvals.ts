/** HTTP: `POST /api/approvals/{operationId}`, a second DR.Restore holder's approval of a waiting restore or migration. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import { approveOperation } from '../workflows/approval/approveOperation';
import type { OrchestrationStarter } from '../workflows/starter';
import { checkOperationId } from './backups';
import type { Caller } from './caller';
import { parseBody } from './respond';

/** Nothing to say but who approves, and that is the validated caller. */
const approvalSchema = z.strictObject({});

export async function postApproval(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const operationId = checkOperationId(request.params['id'] ?? '');
  await parseBody(request, approvalSchema);
  const approved = await approveOperation(services, starter, operationId, caller.requestedBy);
  const statusUri = new URL(`/api/operations/${operationId}`, request.url).href;
  return { status: 202, headers: { Location: statusUri }, jsonBody: { ...approved, statusQueryGetUri: statusUri } };
}
