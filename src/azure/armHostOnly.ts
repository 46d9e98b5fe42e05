/**
 * The ARM clients' last line: a request for any other host than the configured ARM endpoint's, or not over HTTPS,
 * is refused before it is sent, so the bearer token never leaves for it. The check of operation tokens
 * (domain/operationUrl.ts) refuses forged ones earlier, with the record named; this also covers a URL learned mid-poll.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { AzureError } from '../errors';

export function armHostOnlyPolicy(armEndpoint: string): PipelinePolicy {
  const host = new URL(armEndpoint).host.toLowerCase();
  return {
    name: 'apimDrArmHostOnly',
    sendRequest(request, next) {
      const target = new URL(request.url);
      if (target.protocol !== 'https:' || target.host.toLowerCase() !== host) {
        throw new AzureError(
          `refused to send an ARM request to ${target.protocol}//${target.host}: only https://${host} (arm.endpoint) receives the app's token`,
          'ForeignOperationUrl',
        );
      }
      return next(request);
    },
  };
}
