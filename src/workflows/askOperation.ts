/**
 * The question every check activity (backup, restore, migration) asks once per poll: ARM's answer about the
 * operation from its token; without one (no token, its result expired, unreadable, or not to be had), the
 * instance's own state: still busy means running, and an idle instance is judged by the caller (`whenIdle`).
 */
import type { CheckResult, OperationKind } from '../azure/apimOperations';
import type { UnknownOutcome } from '../azure/operationAnswers';
import { isBusy } from '../domain/provisioningState';
import type { ServiceRef } from '../domain/resourceId';
import type { ServiceSnapshot } from '../domain/service';
import type { Services } from '../services';
import { checkOperationToken } from './checkOperationToken';

export type Known = Exclude<CheckResult, UnknownOutcome>;

export interface Asked {
  kind: OperationKind;
  ref: ServiceRef;
  token: string | undefined;
  /** The record or manifest the token was read from. */
  source: string;
}

/** `whenIdle` gets the idle instance and, when ARM was asked, why it could not say how the operation ended. */
export async function askOperation<O>(
  services: Services,
  { kind, ref, token, source }: Asked,
  whenIdle: (snapshot: ServiceSnapshot, unknown: UnknownOutcome | undefined) => O | Promise<O>,
): Promise<Known | O> {
  const answer = token ? await checkOperationToken(services, kind, ref, token, source) : undefined;
  if (answer && answer.status !== 'unknown') return answer;
  const snapshot = await services.apim.getService(ref);
  if (isBusy(snapshot.provisioningState)) return { status: 'running' };
  return whenIdle(snapshot, answer);
}
