/**
 * The Azure SDKs, loaded on first use rather than when the Functions host indexes the app: they are most of the
 * modules the app loads, and indexing (which every cold start waits for) needs none of them. Types come from
 * `import type`, which costs nothing at run time.
 */

/* eslint-disable @typescript-eslint/no-require-imports -- deliberate deferred loads, see above */
export const armApiManagement = (): typeof import('@azure/arm-apimanagement') =>
  require('@azure/arm-apimanagement') as typeof import('@azure/arm-apimanagement');
export const armResourceGraph = (): typeof import('@azure/arm-resourcegraph') =>
  require('@azure/arm-resourcegraph') as typeof import('@azure/arm-resourcegraph');
export const storageBlob = (): typeof import('@azure/storage-blob') => require('@azure/storage-blob') as typeof import('@azure/storage-blob');
export const identity = (): typeof import('@azure/identity') => require('@azure/identity') as typeof import('@azure/identity');
export const restPipeline = (): typeof import('@azure/core-rest-pipeline') =>
  require('@azure/core-rest-pipeline') as typeof import('@azure/core-rest-pipeline');
/* eslint-enable @typescript-eslint/no-require-imports */
