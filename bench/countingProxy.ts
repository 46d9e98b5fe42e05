/** What the storage benchmarks share: a proxy in front of Azurite that counts requests and bytes, and a worker pool. */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export /** Counts the HTTP requests (and response bytes) that pass through it on their way to Azurite. */
async function countingProxy(target: URL): Promise<{ origin: string; counts: Map<string, number>; bytes: { n: number }; close(): Promise<void> }> {
  const counts = new Map<string, number>();
  const bytes = { n: 0 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const comp = url.searchParams.get('comp');
    const kind = `${req.method} ${comp ?? (url.searchParams.get('restype') === 'container' ? 'container' : 'blob')}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (chunk: Buffer) => (bytes.n += chunk.length));
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => res.destroy(err));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    counts,
    bytes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
