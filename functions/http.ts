/** HTTP routes (function-key auth in Azure; open on the local host, as with Core Tools). */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { getOperation, listBackups, postBackup } from '../src/http/backups';
import { getDashboard } from '../src/http/dashboard';
import { errorResponse } from '../src/http/respond';
import { postRestore, postRestoreCheck } from '../src/http/restores';
import type { Services } from '../src/services';
import { durableStarter, type OrchestrationStarter } from '../src/workflows/starter';
import { fleetStatus } from '../src/workflows/status/fleetStatus';
import { services } from './services';

type Handler = (services: Services, starter: OrchestrationStarter, request: HttpRequest) => Promise<HttpResponseInit>;

function route(name: string, method: 'GET' | 'POST', path: string, handler: Handler): void {
  app.http(name, {
    methods: [method],
    route: path,
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext) => {
      let current: Services | undefined;
      try {
        current = services();
        return await handler(current, durableStarter(df.getClient(context)), request);
      } catch (err) {
        return errorResponse(err, current?.logger ?? consoleOnly(context));
      }
    },
  });
}

/** Used only when the config itself failed to load, so there is no structured logger yet. */
function consoleOnly(context: InvocationContext): Services['logger'] {
  return { log: (_level, message) => context.error(message), event: () => undefined, child: () => consoleOnly(context) };
}

route('postBackup', 'POST', 'backups', (s, starter, request) => postBackup(s, starter, request));
route('listBackups', 'GET', 'backups', (s, _starter, request) => listBackups(s, request));
route('getOperation', 'GET', 'operations/{id}', (_s, starter, request) => getOperation(starter, request.params['id'] ?? ''));
route('postRestoreCheck', 'POST', 'restores/check', (s, _starter, request) => postRestoreCheck(s, request));
route('postRestore', 'POST', 'restores', (s, starter, request) => postRestore(s, starter, request));
route('getStatus', 'GET', 'status', async (s, starter) => ({ status: 200, jsonBody: await fleetStatus(s, starter) }));
route('getDashboard', 'GET', 'dashboard', (s, starter) => getDashboard(s, starter));
