/** `apim-dr approve` (the compiled bin) against a local host: it calls the app's HTTP API and reports its answer as an exit code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupNow, startHarness, type Harness } from '../support/harness';
import { cli } from './runCli';

const WEU = 'contoso-apim-weu';

describe('apim-dr approve', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // A restore of an instance with no backup is refused at the edge before any approval is asked.
    await backupNow(h, WEU);
  });
  afterAll(async () => {
    await h.close();
  });

  it('exit 3 when the approver is the requester: with HTTP authentication off, everyone is the same anonymous caller', async () => {
    const asked = await h.api('POST', '/api/restores', { source: WEU, target: WEU, confirm: WEU, allowInPlace: true });
    expect(asked.body.awaitingApproval, JSON.stringify(asked.body)).toBeDefined();
    const run = await cli(['approve', asked.body.id, '--url', h.host.origin]);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('cannot also approve it');
    expect(h.sandbox.apim.count('restore.post')).toBe(0);
  });

  it('exit 1 for an operation that waits for no approval', async () => {
    const run = await cli(['approve', 'restore-contoso-apim-neu-00000000', '--url', h.host.origin]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('waits for no approval');
  });

  it('exit 2, sending nothing, without a URL or with one that would carry a token in clear', async () => {
    expect((await cli(['approve', 'restore-x-00000000'])).stderr).toContain('--url');
    const plain = await cli(['approve', 'restore-x-00000000', '--url', 'http://apim-dr.example']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('must be https://');
  });
});
