/** A second HTTPS server on loopback, trusted by the app like ARM's, that counts every connection and request. */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createLoopbackCertificate } from '../../dev/sandbox/certificate';

export async function startForeignHost() {
  const certificate = await createLoopbackCertificate('attacker');
  const seen = { connections: 0, requests: [] as { url: string; authorization?: string }[] };
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    seen.requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"Succeeded"}');
  });
  server.on('connection', () => (seen.connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caPem: certificate.cert,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
