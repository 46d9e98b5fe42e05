/** The snapshot apply dry run over HTTP, as a caller follows it: the answer at once (200), or its operation to the end (202). */
import { runToCompletion, type Harness } from './harness';

export async function checkOverHttp(h: Harness, body: unknown): Promise<{ status: number; body: any; operation?: string }> {
  const response = await h.api('POST', '/api/snapshots/apply/check', body);
  if (response.status !== 202) return response;
  const instance = await runToCompletion(h, response.body.id);
  if (instance.runtimeStatus !== 'Completed')
    throw new Error(`the dry run ${response.body.id} ended ${instance.runtimeStatus}: ${JSON.stringify(instance.output)}`);
  return { status: response.status, body: instance.output, operation: response.body.id };
}
