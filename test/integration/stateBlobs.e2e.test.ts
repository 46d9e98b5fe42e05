import { afterEach, describe, expect, it } from 'vitest';
import { IncidentStore } from '../../src/azure/incidentStore';
import { JsonBlobStore } from '../../src/azure/jsonBlobStore';
import { INCIDENTS_BLOB } from '../../src/azure/stateLayout';
import { backupNow, runToCompletion, startHarness, type Harness } from '../support/harness';

describe('state blobs are parsed, never trusted as written', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function recordOneChange(h: Harness) {
    await h.services.changes.update('contoso-apim-weu', (s) => ({
      ...s,
      count: 1,
      ids: ['e1'],
      seen: ['e1'],
      firstAt: '2026-03-01T00:00:00Z',
      lastAt: '2026-03-01T00:00:00Z',
    }));
  }

  async function put(h: Harness, name: string, text: string) {
    await h.sandbox.stateContainer().getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
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
    const store = new IncidentStore(new JsonBlobStore(h.sandbox.stateContainer()));
    await expect(store.read()).rejects.toThrow(
      /'notifications\/incidents\.json' is not a valid apim-dr state blob .*delete it; it is rebuilt from the next observations/,
    );
  });

  it('reads the blobs apim-dr writes', async () => {
    h = await startHarness();
    await recordOneChange(h);
    expect((await h.services.changes.read('contoso-apim-weu')).state.count).toBe(1);
  });

  it('keeps what apim-dr acts on in the state container, and only backups and their manifests in the backup container', async () => {
    h = await startHarness();
    const backup = await backupNow(h, 'contoso-apim-weu');
    const response = await h.api('POST', '/api/restores', { source: 'contoso-apim-weu', target: 'contoso-apim-neu', confirm: 'contoso-apim-neu' });
    expect((await runToCompletion(h, response.body.id)).runtimeStatus).toBe('Completed');
    await recordOneChange(h);
    const names = async (container: ReturnType<Harness['sandbox']['container']>) => {
      const found: string[] = [];
      for await (const blob of container.listBlobsFlat()) found.push(blob.name);
      return found;
    };
    const backups = await names(h.sandbox.container());
    expect(backups).toContain(backup.backupName);
    expect(backups.every((name) => /\.(apimbackup|manifest\.json)$/.test(name))).toBe(true);
    const state = await names(h.sandbox.stateContainer());
    expect(state).toContainEqual(expect.stringMatching(/^restores\/contoso-apim-neu\./));
    expect(state).toContain('events/contoso-apim-weu.json');
  });

  it('never reads a record left at its old path in the backup container', async () => {
    h = await startHarness();
    const recordName = 'restores/contoso-apim-neu.20260301T000000Z.000abcd.json';
    await h.sandbox.container().getBlockBlobClient(recordName).upload('{}', 2);
    expect(await h.services.restores.read(recordName)).toBeUndefined();
    expect(await h.services.restores.recent('contoso-apim-neu')).toEqual([]);
  });
});
