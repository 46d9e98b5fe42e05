/** Chooses the app's Entra ID credential from config: keyless everywhere, a dummy token only on loopback. */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { Clock } from '../clock';
import type { Config } from '../config/schema';
import { identity } from './lazySdk';

/** Token lifetime the sandbox credential pretends to have; ARM tokens last about an hour. */
export const SANDBOX_TOKEN_LIFETIME_MS = 60 * 60_000;

export function createCredential(config: Config, clock: Clock): TokenCredential {
  switch (config.auth) {
    case 'managed-identity': {
      const { ManagedIdentityCredential } = identity();
      return config.identity.clientId ? new ManagedIdentityCredential({ clientId: config.identity.clientId }) : new ManagedIdentityCredential();
    }
    case 'default':
      return new (identity().DefaultAzureCredential)(config.identity.clientId ? { managedIdentityClientId: config.identity.clientId } : {});
    case 'sandbox':
      // The config schema refuses 'sandbox' unless every endpoint is on loopback.
      return new SandboxCredential(clock);
  }
}

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
