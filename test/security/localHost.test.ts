/** The local host under hostile requests: every malformed one is a 400, never a 500, and nothing points elsewhere. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness';

describe('the local host, hostile requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers malformed percent-encoding in a route with 400', async () => {
    const response = await h.api('GET', '/api/operations/%E0%A4%A');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('not valid percent-encoding');
  });

  it('answers malformed percent-encoding and bad JSON on the Durable HTTP API with 400', async () => {
    expect((await h.api('GET', '/runtime/webhooks/durabletask/instances/%E0%A4%A')).status).toBe(400);
    const started = await h.api('POST', '/runtime/webhooks/durabletask/orchestrators/backupOrchestrator', '{not json');
    expect(started.status).toBe(400);
    expect(started.body.error.message).toContain('not JSON');
  });

  it('never builds a status URL or Location on another host from an absolute-form request target', async () => {
    // The Host header is loopback's (a foreign one is refused: see localHostEdge.test.ts); the target names another host.
    const port = new URL(h.host.origin).port;
    const answer = await new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: 'http://evil.example/api/backups',
          headers: { 'Content-Type': 'application/json', Host: `127.0.0.1:${port}` },
        },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ service: 'contoso-apim-dev' }));
    });
    expect(answer.status).toBe(202);
    expect(answer.location).toMatch(new RegExp(`^${h.host.origin}/api/operations/`));
    expect(answer.body).not.toContain('evil.example');
  });

  it('answers Event Grid’s subscription validation handshake with the validation code', async () => {
    const handshake = [
      {
        id: 'v1',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        subject: '',
        eventTime: '2026-03-01T00:00:00Z',
        data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6', validationUrl: 'https://rp-westeurope.eventgrid.azure.net/x' },
        dataVersion: '1',
      },
    ];
    const response = await h.api('POST', '/runtime/webhooks/EventGrid?functionName=onConfigurationChange', handshake);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
  });

  it('answers the CloudEvents OPTIONS handshake by allowing the origin that asks', async () => {
    const response = await fetch(`${h.host.origin}/runtime/webhooks/EventGrid?functionName=onConfigurationChange`, {
      method: 'OPTIONS',
      headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
  });
});
