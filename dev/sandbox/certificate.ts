/** An ephemeral self-signed certificate for the sandbox's HTTPS endpoint: made at start-up, never written to git. */
import { generate } from 'selfsigned';

export interface Certificate {
  cert: string;
  key: string;
}

/** `commonName` tells apart several loopback endpoints whose certificates one client trusts. */
export async function createLoopbackCertificate(commonName = 'apim-dr-sandbox'): Promise<Certificate> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    // Valid from an hour ago (clock skew) for two days: long enough for any test or demo run.
    notBeforeDate: new Date(Date.now() - 3_600_000),
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
    keyType: 'ec',
    curve: 'P-256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
