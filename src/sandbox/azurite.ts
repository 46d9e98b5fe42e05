/** Azurite's blob service started in-process, in memory, on an ephemeral loopback port. */
import BlobConfiguration from 'azurite/dist/src/blob/BlobConfiguration';
import BlobServer from 'azurite/dist/src/blob/BlobServer';

// Azurite's well-known development account: public, documented, and useless outside Azurite.
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  blobEndpoint: string;
  connectionString: string;
  close(): Promise<void>;
}

export async function startAzurite(port = 0): Promise<RunningAzurite> {
  const config = new BlobConfiguration(
    '127.0.0.1',
    port,
    undefined,
    undefined,
    undefined,
    undefined,
    false, // access log
    undefined,
    false, // debug log
    undefined,
    false, // loose
    true, // skipApiVersionCheck: current @azure/storage-blob is newer than Azurite knows
    '',
    '',
    '',
    undefined,
    false,
    true, // in-memory persistence
  );
  const server = new BlobServer(config);
  await server.start();
  const address = new URL(server.getHttpServerAddress());
  const blobEndpoint = `http://127.0.0.1:${address.port}/${AZURITE_ACCOUNT}`;
  return {
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`,
    close: () => server.close(),
  };
}
