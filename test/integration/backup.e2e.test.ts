import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runToCompletion, startHarness, type Harness } from '../support/harness';

describe('on-demand backup against the sandbox', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('backs up an instance over HTTP and records a succeeded manifest with its blob', async () => {
    const response = await h.api('POST', '/api/backups', { service: 'contoso-apim-weu' });
    expect(response.status).toBe(202);
    expect(response.body.started).toBe(true);
    const instance = await runToCompletion(h, response.body.id);
    expect(instance.runtimeStatus).toBe('Completed');
    const summary = instance.output as { backupName: string; state: string; blobSize: number };
    expect(summary.state).toBe('succeeded');
    expect(summary.backupName).toMatch(/^contoso-apim-weu\.20260301T000000Z\.manual\.apimbackup$/);

    const stored = await h.services.catalog.read(summary.backupName);
    expect(stored?.manifest).toMatchObject({ state: 'succeeded', trigger: 'manual', inventory: { apis: 3, products: 2, namedValues: 2 } });
    expect(stored?.manifest.expiresAt).toBe('2026-03-31T00:00:00.000Z');
    expect(stored?.manifest.blobSize).toBeGreaterThan(0);

    const status = await h.api('GET', `/api/operations/${response.body.id}`);
    expect(status.body.runtimeStatus).toBe('Completed');
    const listed = await h.api('GET', '/api/backups?service=contoso-apim-weu');
    expect(listed.body.backups).toHaveLength(1);
    expect(listed.body.backups[0]).toMatchObject({ state: 'succeeded', service: 'contoso-apim-weu' });
  });
});
