import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoopbackCertificate } from '../../dev/sandbox/certificate';
import type { RestoreSummary } from '../../src/workflows/restore/types';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';

// The exporter's own usage statistics go to a fixed Microsoft endpoint; there is none to reach here.
process.env['APPLICATION_INSIGHTS_NO_STATSBEAT'] = 'true';

interface Envelope {
  name: string;
  data: {
    baseType: string;
    baseData: { name?: string; duration?: string; success?: boolean; properties?: Record<string, string>; metrics?: { name: string; value: number }[] };
  };
}

/** An Application Insights ingestion endpoint on loopback (HTTPS, as the exporter's Entra ID auth requires). */
async function startIngestion() {
  const certificate = await createLoopbackCertificate('apim-dr-test-ingestion');
  const envelopes: Envelope[] = [];
  const authorizations: string[] = [];
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString();
      const batch = (
        text.trim().startsWith('[')
          ? JSON.parse(text)
          : text
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l))
      ) as Envelope[];
      envelopes.push(...batch);
      authorizations.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ itemsReceived: batch.length, itemsAccepted: batch.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { endpoint, ca: certificate.cert, envelopes, authorizations, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('Azure Monitor export (OpenTelemetry) when APPLICATIONINSIGHTS_CONNECTION_STRING is set', () => {
  let h: Harness;
  let ingestion: Awaited<ReturnType<typeof startIngestion>>;
  beforeEach(async () => {
    ingestion = await startIngestion();
    h = await startHarness({
      durationMs: (kind) => (kind === 'backup' ? 90_000 : 30 * 60_000),
      extraCa: ingestion.ca,
      settings: { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${ingestion.endpoint}` },
    });
  });
  afterEach(async () => {
    await h.close();
    await ingestion.close();
  });

  it('exports a span per backup and restore, backup and restore durations and backup ages, keyless', async () => {
    const backup = await backupNow(h, 'contoso-apim-weu');
    const response = await h.api('POST', '/api/restores', {
      source: 'contoso-apim-weu',
      target: 'contoso-apim-neu',
      confirm: 'contoso-apim-neu',
      preRestoreBackup: false,
    });
    const restore = (await runToCompletion(h, response.body.id)).output as RestoreSummary;
    await h.host.invokeTimer('scheduleTick');
    await h.services.telemetry.flush();

    const spans = ingestion.envelopes.filter((e) => e.data.baseType === 'RemoteDependencyData').map((e) => e.data.baseData);
    expect(spans).toContainEqual(
      expect.objectContaining({
        name: 'backup contoso-apim-weu',
        success: true,
        properties: expect.objectContaining({ 'apim_dr.backup_name': backup.backupName, 'apim_dr.trigger': 'manual' }),
      }),
    );
    expect(spans).toContainEqual(
      expect.objectContaining({
        name: 'restore contoso-apim-neu',
        success: true,
        properties: expect.objectContaining({ 'apim_dr.source': 'contoso-apim-weu', 'apim_dr.purpose': 'restore' }),
      }),
    );
    const metrics = new Map(ingestion.envelopes.flatMap((e) => e.data.baseData.metrics ?? []).map((m) => [m.name, m.value]));
    // Durations on the sandbox's (virtual) clock: a 90 s backup, a 30-minute restore.
    expect(metrics.get('apim_dr.backup.duration')).toBeGreaterThanOrEqual(90_000);
    expect(metrics.get('apim_dr.restore.duration')).toBe(restore.rtoMs);
    expect(metrics.has('apim_dr.backup.age')).toBe(true);
    // Ingestion authenticated with the app's Entra ID token, never an instrumentation key alone.
    expect(ingestion.authorizations.length).toBeGreaterThan(0);
    for (const a of ingestion.authorizations) expect(a).toMatch(/^Bearer sandbox-token-/);
  });

  it('exports nothing without the setting', async () => {
    await h.close();
    h = await startHarness({});
    await backupNow(h, 'contoso-apim-dev');
    await h.services.telemetry.flush();
    expect(ingestion.envelopes).toEqual([]);
  });
});
