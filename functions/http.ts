/**
 * HTTP routes: in Azure, App Service authentication (Entra ID) in front and the function key; each route checks the
 * caller's app role (src/http/caller.ts). Open on the local host unless configured, as with Core Tools.
 */
import { output, trigger, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { getOperation, listBackups, postBackup } from '../src/http/backups';
import { postApproval } from '../src/http/approvals';
import { getDashboard } from '../src/http/dashboard';
import { authorize, type Caller, type DrRole } from '../src/http/caller';
import { errorResponse } from '../src/http/respond';
import { postMigration, postMigrationCheck } from '../src/http/migrations';
import { getDescribe, getOperationLog, getRecords } from '../src/http/records';
import { postRestore, postRestoreCheck } from '../src/http/restores';
import { listSnapshots, postSnapshot } from '../src/http/snapshots';
import { postSnapshotApply, postSnapshotApplyCheck } from '../src/http/snapshotApply';
import type { Services } from '../src/services';
import { durableStarter, type OrchestrationStarter } from '../src/workflows/starter';
import { fleetStatus } from '../src/workflows/status/fleetStatus';
import type { FunctionDefinition } from './functionDefinition';
import { appSettings, services } from './services';

type Handler = (services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller) => Promise<HttpResponseInit>;

function route(name: string, method: 'GET' | 'POST', path: string, role: DrRole, handler: Handler): FunctionDefinition {
  return {
    name,
    options: {
      // What `app.http` would register: the HTTP trigger and its response as the return binding.
      trigger: trigger.http({ methods: [method], route: path, authLevel: 'function' }),
      return: output.http({}),
      extraInputs: [df.input.durableClient()],
      handler: async (request: HttpRequest, context: InvocationContext) => {
        let current: Services | undefined;
        try {
          // The caller first: nothing about the app, not even a config error, is shown to someone without the role.
          const caller = await authorize(request.headers, appSettings(), role);
          current = services();
          return await handler(current, durableStarter(df.getClient(context)), request, caller);
        } catch (err) {
          return errorResponse(err, current?.logger ?? consoleOnly(context));
        }
      },
    },
  };
}

/** Used only when the config itself failed to load, so there is no structured logger yet. */
function consoleOnly(context: InvocationContext): Services['logger'] {
  return { log: (_level, message) => context.error(message), event: () => undefined, child: () => consoleOnly(context) };
}

export const httpFunctions: FunctionDefinition[] = [
  route('postBackup', 'POST', 'backups', 'DR.Operator', (s, starter, request, caller) => postBackup(s, starter, request, caller)),
  route('listBackups', 'GET', 'backups', 'DR.Reader', (s, _starter, request) => listBackups(s, request)),
  route('getOperation', 'GET', 'operations/{id}', 'DR.Reader', (_s, starter, request) => getOperation(starter, request.params['id'] ?? '')),
  route('getOperationLog', 'GET', 'operations/{id}/logs', 'DR.Reader', (s, _starter, request) => getOperationLog(s, request.params['id'] ?? '')),
  route('postRestoreCheck', 'POST', 'restores/check', 'DR.Reader', (s, _starter, request) => postRestoreCheck(s, request)),
  route('postRestore', 'POST', 'restores', 'DR.Restore', (s, starter, request, caller) => postRestore(s, starter, request, caller)),
  route('postMigrationCheck', 'POST', 'migrations/check', 'DR.Reader', (s, starter, request) => postMigrationCheck(s, starter, request)),
  route('postMigration', 'POST', 'migrations', 'DR.Restore', (s, starter, request, caller) => postMigration(s, starter, request, caller)),
  route('postApproval', 'POST', 'approvals/{id}', 'DR.Restore', (s, starter, request, caller) => postApproval(s, starter, request, caller)),
  route('getStatus', 'GET', 'status', 'DR.Reader', async (s, starter) => ({ status: 200, jsonBody: await fleetStatus(s, starter) })),
  route('getDashboard', 'GET', 'dashboard', 'DR.Reader', (s, starter, request) => getDashboard(s, starter, request)),
  route('listRecords', 'GET', 'restores', 'DR.Reader', (s, _starter, request) => getRecords(s, request)),
  route('describe', 'GET', 'describe', 'DR.Reader', (s, _starter, request) => getDescribe(s, request)),
  route('postSnapshot', 'POST', 'snapshots', 'DR.Operator', (s, starter, request, caller) => postSnapshot(s, starter, request, caller)),
  route('listSnapshots', 'GET', 'snapshots', 'DR.Reader', (s, _starter, request) => listSnapshots(s, request)),
  route('postSnapshotApplyCheck', 'POST', 'snapshots/apply/check', 'DR.Reader', (s, starter, request, caller) =>
    postSnapshotApplyCheck(s, starter, request, caller),
  ),
  route('postSnapshotApply', 'POST', 'snapshots/apply', 'DR.Restore', (s, starter, request, caller) => postSnapshotApply(s, starter, request, caller)),
];
