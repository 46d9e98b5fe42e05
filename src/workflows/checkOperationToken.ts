/**
 * The one way a check activity resumes a running operation from its token: the token's URLs are checked first
 * (operationUrl.ts), and a token that points anywhere else fails the operation with the reason, before any request
 * is sent, and opens an incident naming the record or manifest it came from.
 */
import type { CheckResult, OperationKind } from '../azure/apimOperations';
import { isReadableToken } from '../azure/operationAnswers';
import { operationTokenProblem } from '../domain/operationUrl';
import type { ServiceRef } from '../domain/resourceId';
import type { Services } from '../services';

export const FOREIGN_OPERATION_URL = 'ForeignOperationUrl';

/** `source`: the record or manifest the token was read from, named in the failure and the incident. */
export async function checkOperationToken(services: Services, kind: OperationKind, ref: ServiceRef, token: string, source: string): Promise<CheckResult> {
  // A token that does not parse names no URL to follow: the check sends nothing and answers `unknown`, and the
  // caller settles the operation from the instance and the blob instead (operationAnswers.ts).
  if (!isReadableToken(token)) return services.apim.check(kind, ref, token);
  const problem = operationTokenProblem(token, services.config.arm.endpoint, ref);
  if (!problem) return services.apim.check(kind, ref, token);
  const message = `the operation token of '${source}' was refused, and nothing was sent: ${problem}. apim-dr did not write it; find who did, then start the ${kind === 'migrate' ? 'migration' : kind} again`;
  services.logger.event('apim-dr.operation.refused', { kind, service: ref.name, source, reason: problem }, 'error');
  await services.notifier.observe([{ kind: 'operation.refused', subject: source, active: true, at: services.clock.now().toISOString(), detail: problem }]);
  return { status: 'failed', code: FOREIGN_OPERATION_URL, message };
}
