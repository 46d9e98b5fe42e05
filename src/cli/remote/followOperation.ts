/** Follows an operation the app started (`GET /api/operations/{id}`) to its end, showing its phase and time elapsed. */
import { UserError } from '../../errors';
import { fixForCli } from '../../http/httpFixes';
import { operationErrorOf } from '../../workflows/operationError';
import type { OrchestrationStatus } from '../../workflows/starter';
import { isActive } from '../../workflows/starter';
import type { Output } from '../output';
import type { AppClient } from './appClient';

export interface Accepted {
  id: string;
  statusQueryGetUri: string;
}

interface Progress {
  phase?: string;
  percent?: number;
  polls?: number;
}

export async function followOperation(
  app: AppClient,
  accepted: Accepted,
  doing: string,
  out: Output,
  options: { intervalMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<OrchestrationStatus> {
  const started = Date.now();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const { body: status } = await app.get<OrchestrationStatus>(`/api/operations/${encodeURIComponent(accepted.id)}`);
    if (!isActive(status.runtimeStatus)) {
      out.progress('');
      return status;
    }
    out.progress(`${doing}: ${progressLine(status.customStatus as Progress | undefined, Date.now() - started)}`);
    await sleep(options.intervalMs ?? 1_000);
  }
}

/** Phase and time elapsed; a percent only when the app has one (from the instance's own earlier runs). */
export function progressLine(progress: Progress | undefined, elapsedMs: number): string {
  const elapsed = `${Math.round(elapsedMs / 1000)} s`;
  if (!progress?.phase) return `starting · ${elapsed}`;
  return `${progress.phase}${progress.percent !== undefined ? ` ${progress.percent}%` : ''} · ${elapsed}`;
}

/**
 * Throws the user error an operation answered with (`output.error`: its code, kind and message), so that the CLI exits
 * and prints through the app as it would in process, as AppClient does for an error body.
 */
export function throwOperationError(status: OrchestrationStatus): void {
  const error = operationErrorOf(status.output);
  if (error) throw new UserError(fixForCli(error.message), error.kind, error.code);
}
