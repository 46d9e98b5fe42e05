/** A Teams/Slack-style incoming webhook on loopback that records what it is sent. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WEBHOOK_SECRET = 'sig=c2VjcmV0LXdlYmhvb2stc2lnbmF0dXJl';

export async function startWebhook(status = 200) {
  const received: { text: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as { text: string });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook?${WEBHOOK_SECRET}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
