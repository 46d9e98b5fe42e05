/**
 * The deployed app's HTTP API, as the CLI's remote mode calls it: an Entra ID token for the app's audience on every
 * request (none when the app runs without authentication, as the demo does), the function key when one is set, and
 * the API's error bodies turned back into the same user errors (and so the same exit codes) the app raised.
 */
import type { TokenCredential } from '@azure/core-auth';
import { UserError, type UserErrorKind } from '../../errors';
import { fixForCli } from '../../http/httpFixes';
import { clip } from '../../validation';

/** The app's URL, e.g. `https://func-apim-dr.azurewebsites.net`; `--app` on the command line. */
export const APP_URL_SETTING = 'APIM_DR_APP_URL';
/** The app registration's Application ID URI or client ID, whose token the app accepts; `--audience`. */
export const APP_AUDIENCE_SETTING = 'APIM_DR_APP_AUDIENCE';
/** The function key (`x-functions-key`) the app's routes want in Azure: a secret, so an app setting and never a flag. */
export const FUNCTION_KEY_SETTING = 'APIM_DR_FUNCTION_KEY';

/** The app did not answer at all (connection refused, DNS, TLS, timeout): the break-glass path may help. */
export class AppUnreachable extends Error {
  override name = 'AppUnreachable';
}

export interface AppClientOptions {
  url: string;
  /** Ask for a token for this audience; absent: send none. */
  audience?: string;
  credential?: () => TokenCredential;
  functionKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface AppResponse<T> {
  status: number;
  body: T;
}

/** Error codes that mean the caller lacks a role, not that a rule refused: both are 403. */
const FORBIDDEN_CODES = new Set(['RoleRequired', 'AuthorizationFailed', 'Forbidden']);

export class AppClient {
  readonly url: string;
  private tokenCredential?: TokenCredential;

  constructor(private readonly options: AppClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
  }

  get authenticated(): boolean {
    return this.options.audience !== undefined;
  }

  async get<T>(path: string): Promise<AppResponse<T>> {
    return this.request<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<AppResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<AppResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = await this.token();
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (this.options.functionKey) headers['x-functions-key'] = this.options.functionKey;
    const target = `${this.url}${path}`;
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(target, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new AppUnreachable(`the app at ${this.url} does not answer (${cause?.code ?? cause?.message ?? (err as Error).message})`, { cause: err });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.status >= 400) throw this.errorOf(response.status, method, path, parsed, text);
    return { status: response.status, body: parsed as T };
  }

  private async token(): Promise<string | undefined> {
    if (!this.options.audience) return undefined;
    this.tokenCredential ??= this.options.credential?.();
    if (!this.tokenCredential) return undefined;
    const scope = `${this.options.audience.replace(/\/+$/, '')}/.default`;
    let token;
    try {
      token = await this.tokenCredential.getToken(scope);
    } catch (err) {
      throw new UserError(
        `could not get an Entra ID token for ${scope}: ${(err as Error).message.split('\n')[0]}; sign in ('az login'), or check --audience (${APP_AUDIENCE_SETTING})`,
        'unauthenticated',
        'TokenUnavailable',
        { cause: err },
      );
    }
    if (!token) throw new UserError(`no Entra ID token for ${scope}: sign in ('az login')`, 'unauthenticated', 'TokenUnavailable');
    return token.token;
  }

  private errorOf(status: number, method: string, path: string, parsed: unknown, text: string): Error {
    const error = (parsed as { error?: { code?: unknown; message?: unknown; problems?: { path?: string; message?: string }[] } } | undefined)?.error;
    const code = typeof error?.code === 'string' ? error.code : `Http${status}`;
    const problems = Array.isArray(error?.problems) ? error.problems.map((p) => `\n  - ${p.path || '(root)'}: ${p.message}`).join('') : '';
    // The app names body fields in its fixes (`send "backup": …`); this CLI's user types flags (`use --backup …`).
    let message = fixForCli(`${typeof error?.message === 'string' ? error.message : `${method} ${path} answered ${status}: ${clip(text)}`}${problems}`);
    if (status === 401 && !this.authenticated)
      message += `; this app wants a token: give its audience (the app registration's client ID or Application ID URI) with --audience or ${APP_AUDIENCE_SETTING}`;
    const kind = kindOf(status, code);
    return kind ? new UserError(message, kind, code) : new Error(`${message} (HTTP ${status}, ${code})`);
  }
}

function kindOf(status: number, code: string): UserErrorKind | undefined {
  switch (status) {
    case 400:
      return 'usage';
    case 401:
      return 'unauthenticated';
    case 403:
      return FORBIDDEN_CODES.has(code) ? 'forbidden' : 'refused';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    default:
      return undefined;
  }
}
