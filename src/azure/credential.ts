/** Chooses the app's Entra ID credential from config: keyless everywhere, a dummy token only on loopback. */
import type { TokenCredential } from '@azure/core-auth';
import type { Clock } from '../clock';
import type { Config } from '../config/schema';
import { identity } from './lazySdk';
import { SandboxCredential } from './sandboxCredential';

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
