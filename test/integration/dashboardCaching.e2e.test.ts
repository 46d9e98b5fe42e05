/** The dashboard is sent compressed to clients that accept it, with an ETag: an unchanged page is a 304 with no body. */
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, backupNow, type Harness } from '../support/harness';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET that neither asks for nor undoes compression unless told (fetch would do both). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/dashboard', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('sends gzip to a client that accepts it, the same page as uncompressed, and a 304 for an unchanged page', async () => {
    h = await startHarness();
    await backupNow(h, 'contoso-apim-weu');
    const url = `${h.host.origin}/api/dashboard`;

    const plain = await rawGet(url);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const html = plain.body.toString('utf8');
    expect(html).toContain('contoso-apim-weu');

    const zipped = await rawGet(url, { 'Accept-Encoding': 'br;q=1, gzip;q=0.8' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(html);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);

    const etag = String(zipped.headers['etag']);
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(plain.headers['etag']).toBe(etag);
    const again = await rawGet(url, { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);

    // gzip refused with q=0 is not sent; a stale ETag gets the whole page.
    const refused = await rawGet(url, { 'Accept-Encoding': 'gzip;q=0', 'If-None-Match': '"stale"' });
    expect(refused.status).toBe(200);
    expect(refused.headers['content-encoding']).toBeUndefined();
  });
});
