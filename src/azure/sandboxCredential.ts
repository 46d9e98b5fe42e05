/**
 * The credential of `auth: sandbox` (the config refuses it unless every endpoint is on loopback). It is part of the
 * deployed code, not of dev/sandbox: the package test runs the extracted app on it, against the sandbox.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { Clock } from '../clock';

/** Token lifetime the sandbox credential pretends to have; ARM tokens last about an hour. */
export const SANDBOX_TOKEN_LIFETIME_MS = 60 * 60_000;

/**
 * Issues opaque, short-lived dummy tokens for the local sandbox; never accepted by Azure. Each carries its expiry
 * (`sandbox-token-<n>.<expires ms>`, on the sandbox's clock), which the sandbox enforces as ARM does.
 */
export class SandboxCredential implements TokenCredential {
  issued = 0;
  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs = SANDBOX_TOKEN_LIFETIME_MS,
  ) {}

  getToken(): Promise<AccessToken> {
    this.issued += 1;
    const expiresOnTimestamp = this.clock.now().getTime() + this.lifetimeMs;
    return Promise.resolve({ token: `sandbox-token-${this.issued}.${expiresOnTimestamp}`, expiresOnTimestamp });
  }
}

/** The expiry a sandbox token carries, if it is one. */
export function sandboxTokenExpiry(token: string): number | undefined {
  const m = /^sandbox-token-\d+\.(\d+)$/.exec(token);
  return m ? Number(m[1]) : undefined;
}
