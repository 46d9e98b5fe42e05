/**
 * `apim-dr approve <operation>`: a second DR.Restore holder approves a waiting restore or migration. The approval is
 * only worth something from a validated principal, so this calls the deployed app's HTTP API (with your Entra ID
 * token for its app registration), never an in-process shortcut.
 */
import type { Command } from 'commander';
import { identity } from '../../azure/lazySdk';
import { UserError, type UserErrorKind } from '../../errors';
import { clip } from '../../validation';
import type { CliContext } from '../context';
import { ExitCode, type Output } from '../output';

/** The deployed app's URL, and the scope of its app registration (`api://<client ID>/.default`). */
export const APP_URL_SETTING = 'APIM_DR_URL';
export const API_SCOPE_SETTING = 'APIM_DR_API_SCOPE';

export interface ApproveOptions {
  url?: string;
  scope?: string;
}

export async function approveCommand(
  operation: string,
  options: ApproveOptions,
  env: NodeJS.ProcessEnv,
  out: Output,
  token: (scope: string) => Promise<string> = entraToken,
): Promise<number> {
  const base = appUrl(options.url ?? env[APP_URL_SETTING]);
  const scope = options.scope ?? env[API_SCOPE_SETTING];
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (scope) headers['Authorization'] = `Bearer ${await token(scope)}`;
  const response = await fetch(new URL(`/api/approvals/${encodeURIComponent(operation)}`, base), { method: 'POST', headers, body: '{}' });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string }; requestedBy?: string; approvedBy?: string };
  if (response.status !== 202) throw answerError(response.status, body.error);
  if (out.json) out.data(body);
  else out.line(`approved ${operation}: asked by ${body.requestedBy}, approved by ${body.approvedBy}; it runs now`);
  return ExitCode.ok;
}

function appUrl(raw: string | undefined): URL {
  if (!raw)
    throw new UserError(`name the apim-dr app: --url https://<app>.azurewebsites.net (or the app setting ${APP_URL_SETTING})`, 'usage', 'AppUrlRequired');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`--url '${clip(raw)}' is not a URL; write e.g. https://<app>.azurewebsites.net`, 'usage', 'AppUrlRequired');
  }
  // A token goes with the request: only over HTTPS, or to a local host on this machine.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UserError(`--url '${clip(raw)}' must be https:// (http:// only for a local host on loopback)`, 'usage', 'AppUrlRequired');
  }
  return url;
}

async function entraToken(scope: string): Promise<string> {
  const token = await new (identity().DefaultAzureCredential)().getToken(scope);
  if (!token) throw new UserError(`no Entra ID token for '${clip(scope)}': sign in with 'az login'`, 'unauthenticated', 'Unauthenticated');
  return token.token;
}

/** The app's answer as the CLI's error: its kind (and so the exit code) follows the status and code. */
function answerError(status: number, error: { code?: string; message?: string } | undefined): Error {
  const message = `the app answered ${status}: ${clip(error?.message ?? 'no message')}`;
  const kind: UserErrorKind | undefined =
    status === 400
      ? 'usage'
      : status === 401
        ? 'unauthenticated'
        : status === 403
          ? error?.code === 'RoleRequired'
            ? 'forbidden'
            : 'refused'
          : status === 404
            ? 'not-found'
            : status === 409
              ? 'conflict'
              : undefined;
  return kind ? new UserError(message, kind, error?.code ?? 'ApprovalFailed') : new Error(message);
}

export function registerApprove(program: Command, cli: CliContext): void {
  program
    .command('approve <operation>')
    .description('approve a waiting in-place restore or migration as the second DR.Restore holder (calls the app over HTTPS)')
    .option('--url <url>', `the apim-dr app (default: ${APP_URL_SETTING})`)
    .option('--scope <scope>', `the app registration's scope for your token, e.g. api://<client ID>/.default (default: ${API_SCOPE_SETTING}; none: no token)`)
    .action((operation: string, options: ApproveOptions) => cli.run(() => approveCommand(operation, options, cli.env, cli.output())));
}
