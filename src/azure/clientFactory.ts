/** The one place that constructs Azure SDK clients: credential, ARM endpoint, extra CA, injectable pipeline. */
import type { ApiManagementClient } from '@azure/arm-apimanagement';
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import type { HttpClient, PipelinePolicy } from '@azure/core-rest-pipeline';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { Clock } from '../clock';
import { readCaFile } from '../config/caFile';
import { readSetting } from '../config/loadConfig';
import type { Config } from '../config/schema';
import { createCredential } from './credential';
import { armApiManagement, armResourceGraph, restPipeline, storageBlob } from './lazySdk';
import { armHostOnlyPolicy } from './armHostOnly';
import { ARM_RETRY_OPTIONS, capRetryAfterPolicy } from './boundedWaits';
import { sendOperationPostOncePolicy } from './sendOnce';

export interface ClientFactoryOptions {
  clock: Clock;
  /** App settings, for the names the config refers to (connection strings, access keys). */
  settings: NodeJS.ProcessEnv;
  credential?: TokenCredential;
  /** Replaces the HTTP transport of ARM clients (tests, recording). */
  httpClient?: HttpClient;
  /** Extra trusted CA in PEM, added to the system roots (otherwise read from `arm.caFile`). */
  extraCa?: string;
}

export interface ClientFactory {
  /** The injected clock, for what the clients' answers say in time (Retry-After dates). */
  readonly clock: Clock;
  readonly credential: TokenCredential;
  /** Pipeline policies every Azure client here needs (the extra CA, when there is one). */
  readonly policies: { policy: PipelinePolicy; position: 'perCall' }[];
  apim(subscriptionId: string): ApiManagementClient;
  /** Tenant-wide: one query spans every subscription discovery names. */
  resourceGraph(): ResourceGraphClient;
  blobService(): BlobServiceClient;
  container(): ContainerClient;
  /** The state container (`storage.stateContainer`): same account and endpoint, written by the app alone. */
  stateContainer(): ContainerClient;
}

export function createClientFactory(config: Config, options: ClientFactoryOptions): ClientFactory {
  const credential = options.credential ?? createCredential(config, options.clock);
  const extraCa = options.extraCa ?? (config.arm.caFile ? readCaFile(config.arm.caFile) : undefined);
  const policies = extraCa ? [{ policy: extraCaPolicy(extraCa), position: 'perCall' as const }] : [];
  const apimClients = new Map<string, ApiManagementClient>();
  let blobService: BlobServiceClient | undefined;
  let resourceGraph: ResourceGraphClient | undefined;

  return {
    clock: options.clock,
    credential,
    policies,
    apim(subscriptionId) {
      let client = apimClients.get(subscriptionId);
      if (!client) {
        // Sovereign clouds and the sandbox have their own audience; ARM's is the endpoint itself.
        const scope = `${new URL(config.arm.endpoint).origin}/.default`;
        client = new (armApiManagement().ApiManagementClient)(credential, subscriptionId, {
          endpoint: config.arm.endpoint,
          credentialScopes: [scope],
          additionalPolicies: policies,
          httpClient: options.httpClient,
          retryOptions: ARM_RETRY_OPTIONS,
        });
        const created = client;
        const forget = () => apimClients.get(subscriptionId) === created && apimClients.delete(subscriptionId);
        client.pipeline.addPolicy(renewExpiredTokenPolicy(credential, scope, forget), {
          phase: 'Sign',
          afterPolicies: [restPipeline().bearerTokenAuthenticationPolicyName],
        });
        // Per attempt, inside the SDK's retry loop: a POST whose answer was lost is not resent, and a long
        // Retry-After is left to the orchestrator's durable timers.
        client.pipeline.addPolicy(sendOperationPostOncePolicy(), { phase: 'Sign' });
        client.pipeline.addPolicy(capRetryAfterPolicy(options.clock), { phase: 'Sign' });
        // No request, and so no bearer token, for any host but ARM's: a forged operation URL goes nowhere.
        client.pipeline.addPolicy(armHostOnlyPolicy(config.arm.endpoint), { phase: 'Sign' });
        apimClients.set(subscriptionId, client);
      }
      return client;
    },
    resourceGraph() {
      if (!resourceGraph) {
        resourceGraph = new (armResourceGraph().ResourceGraphClient)(credential, {
          endpoint: config.arm.endpoint,
          credentials: { scopes: [`${new URL(config.arm.endpoint).origin}/.default`] },
          additionalPolicies: policies,
          httpClient: options.httpClient,
          retryOptions: ARM_RETRY_OPTIONS,
        });
        // A throttled refresh waits for the next tick rather than sleeping long inside it.
        resourceGraph.pipeline.addPolicy(capRetryAfterPolicy(options.clock), { phase: 'Sign' });
        resourceGraph.pipeline.addPolicy(armHostOnlyPolicy(config.arm.endpoint), { phase: 'Sign' });
      }
      return resourceGraph;
    },
    blobService() {
      blobService ??= createBlobServiceClient(config, credential, options.settings);
      return blobService;
    },
    container() {
      return this.blobService().getContainerClient(config.storage.container);
    },
    stateContainer() {
      return this.blobService().getContainerClient(config.storage.stateContainer);
    },
  };
}

function createBlobServiceClient(config: Config, credential: TokenCredential, settings: NodeJS.ProcessEnv): BlobServiceClient {
  const { storage } = config;
  if (storage.connectionStringSetting) {
    return storageBlob().BlobServiceClient.fromConnectionString(readSetting(storage.connectionStringSetting, settings));
  }
  return new (storageBlob().BlobServiceClient)(storage.endpoint ?? `https://${storage.account}.blob.core.windows.net`, credential);
}

/**
 * ARM answers 401 ExpiredAuthenticationToken when a token expired before the SDK's cache expected it to (clock
 * skew, a long sleep): send the request once more with a new token, and drop the client so its cache goes with it.
 * A restore outlives any one token; no check may fail for that.
 */
function renewExpiredTokenPolicy(credential: TokenCredential, scope: string, forgetClient: () => void): PipelinePolicy {
  return {
    name: 'apimDrRenewExpiredToken',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 401 || !/ExpiredAuthenticationToken/.test(response.bodyAsText ?? '')) return response;
      forgetClient();
      const token = await credential.getToken(scope, { abortSignal: request.abortSignal });
      if (!token) return response;
      request.headers.set('Authorization', `Bearer ${token.token}`);
      return next(request);
    },
  };
}

/** Trusts one more CA (a sovereign cloud's, a proxy's, the sandbox's) for ARM calls, on top of the system roots. */
function extraCaPolicy(pem: string): PipelinePolicy {
  // A bundle may hold several certificates; TLS takes each as its own entry.
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [pem];
  // One secure context, built once: an agent given `ca` itself would join the ~200 KB of roots into its pool key on every request.
  const agent = new Agent({ secureContext: createSecureContext({ ca: [...rootCertificates, ...certificates] }), keepAlive: true });
  return {
    name: 'apimDrExtraCa',
    sendRequest: (request, next) => {
      request.agent ??= agent;
      return next(request);
    },
  };
}
