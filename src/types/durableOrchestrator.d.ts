// `df.app.orchestration` wraps an orchestrator in durable-functions' replay code before handing it to the worker. The
// in-process runner needs that same wrapper without a worker; durable-functions (pinned) exports it untyped here.
declare module 'durable-functions/lib/src/util/testingUtils' {
  import type { InvocationContext } from '@azure/functions';
  import type { OrchestrationHandler } from 'durable-functions';
  export function createOrchestrator(handler: OrchestrationHandler): (orchestrationTrigger: unknown, context: InvocationContext) => Promise<unknown>;
}
