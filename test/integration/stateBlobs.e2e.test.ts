import { afterEach, describe, expect, it } from 'vitest';
import { INCIDENTS_BLOB, IncidentStore } from '../../src/azure/incidentStore';
import { startHarness, type Harness } from '../support/harness';

describe('state blobs are parsed, never trusted as written', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function put(h: Harness, name: string, text: string) {
    await h.sandbox.container().getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
  }

  it('names a pending-changes blob that is not apim-dr’s, with the way out, instead of acting on it', async () => {
    h = await startHarness();
    await put(h, 'events/contoso-apim-weu.json', JSON.stringify({ count: 'many', ids: 'x' }));
    await expect(h.services.changes.read('contoso-apim-weu')).rejects.toThrow(
      /'events\/contoso-apim-weu\.json' is not a valid apim-dr state blob \(count: .*\): delete it; the next change recreates it/,
    );
  });

  it('names an incident book that is not JSON', async () => {
    h = await startHarness();
    await put(h, INCIDENTS_BLOB, 'not json at all');
    const store = new IncidentStore(h.sandbox.container());
    await expect(store.read()).rejects.toThrow(
      /'notifications\/incidents\.json' is not a valid apim-dr state blob .*delete it; it is rebuilt from the next observations/,
    );
  });

  it('reads the blobs apim-dr writes', async () => {
    h = await startHarness();
    await h.services.changes.update('contoso-apim-weu', (s) => ({
      ...s,
      count: 1,
      ids: ['e1'],
      seen: ['e1'],
      firstAt: '2026-03-01T00:00:00Z',
      lastAt: '2026-03-01T00:00:00Z',
    }));
    expect((await h.services.changes.read('contoso-apim-weu')).state.count).toBe(1);
  });
});
