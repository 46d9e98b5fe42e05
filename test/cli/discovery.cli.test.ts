/** The CLI sees instances found by tag: it reads discovery's list before a command resolves a name. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { parseConfig } from '../../src/config/loadConfig';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { SANDBOX_SUBSCRIPTION, startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import { createServices } from '../../src/services';
import { createLogger } from '../../src/telemetry/logger';
import { refreshDiscovery } from '../../src/workflows/schedule/refreshDiscovery';

const SUB_A = 'aaaaaaaa-0000-0000-0000-00000000000a';

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  try {
    return { code: await main(['node', 'apim-dr', ...args], env), stdout };
  } finally {
    spy.mockRestore();
  }
}

describe('apim-dr with tag discovery', () => {
  let sandbox: RunningSandbox;
  let configFile: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      durationMs: () => 1_000,
      services: [
        {
          subscriptionId: SANDBOX_SUBSCRIPTION,
          resourceGroup: 'rg-apim-weu',
          name: 'contoso-apim-weu',
          location: 'West Europe',
          sku: { name: 'Premium', capacity: 1 },
        },
        {
          subscriptionId: SUB_A,
          resourceGroup: 'rg-team-a',
          name: 'team-a-apim',
          location: 'North Europe',
          sku: { name: 'Standard', capacity: 1 },
          tags: { 'apim-dr': 'protect' },
        },
      ],
    });
    const raw = {
      ...sandbox.config({
        services: [{ id: canonicalServiceId(SANDBOX_SUBSCRIPTION, 'rg-apim-weu', 'contoso-apim-weu') }],
        defaults: { pollInterval: 'PT1S' },
      }),
      discovery: { subscriptions: [SANDBOX_SUBSCRIPTION, SUB_A], tag: { name: 'apim-dr', value: 'protect' } },
    };
    configFile = join(mkdtempSync(join(tmpdir(), 'apim-dr-discovery-')), 'apim-dr.json');
    writeFileSync(configFile, JSON.stringify(raw));
    // What the Functions app's tick does on its first run: the list the CLI then reads.
    const services = createServices(parseConfig(raw), { settings: sandbox.settings, extraCa: sandbox.caPem, logger: createLogger(() => undefined) });
    await refreshDiscovery(services, 'test');
  }, 60_000);
  afterAll(async () => {
    await sandbox.close();
  });

  it('backs up an instance found by tag, by its name', async () => {
    const backup = await run(['backup', 'team-a-apim', '--config', configFile], sandbox.settings);
    expect(backup.code).toBe(0);
    expect(backup.stdout.trim()).toMatch(/^team-a-apim\.\d{8}T\d{6}Z\.manual\.apimbackup$/);
  }, 60_000);

  it('shows in status how each instance came to be protected, and the last discovery', async () => {
    const status = await run(['status', '--config', configFile], sandbox.settings);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Discovery \(tag apim-dr=protect in 2 subscription\(s\)\): 1 instance\(s\) protected by tag; last refresh \d{4}-\d\d-\d\dT/);
    expect(status.stdout).toContain('Newly found by tag: team-a-apim');
    expect(status.stdout).toMatch(/team-a-apim\s+tag \(new\)/);
    expect(status.stdout).toMatch(/contoso-apim-weu\s+config/);
    const json = JSON.parse((await run(['status', '--config', configFile, '--json'], sandbox.settings)).stdout) as {
      instances: { service: string; origin: string }[];
    };
    expect(json.instances.map((i) => [i.service, i.origin])).toEqual([
      ['contoso-apim-weu', 'config'],
      ['team-a-apim', 'tag'],
    ]);
  }, 60_000);
});
