/** The preInvocation hook that keeps each worker's discovery list current, as the Functions worker runs it. */
import { InvocationContext, PreInvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { syncDiscoveredFleet } from '../../functions/discovery';
import { useServices } from '../../functions/services';
import { parseConfig } from '../../src/config/loadConfig';
import { canonicalServiceId } from '../../src/domain/resourceId';
import { EMPTY_DISCOVERY } from '../../src/domain/discovery';
import { SANDBOX_SUBSCRIPTION, startSandbox, type RunningSandbox } from '../../dev/sandbox/startSandbox';
import { createServices, type Services } from '../../src/services';
import { createLogger } from '../../src/telemetry/logger';

const found = {
  id: canonicalServiceId(SANDBOX_SUBSCRIPTION, 'rg-team', 'team-apim'),
  name: 'team-apim',
  subscriptionId: SANDBOX_SUBSCRIPTION,
  location: 'westeurope',
  sku: 'Premium',
  tags: { 'apim-dr': 'protect' },
  foundAt: '2026-03-01T00:05:00.000Z',
};

const hookContext = (type: string, warn = vi.fn()) =>
  new PreInvocationContext({
    invocationContext: new InvocationContext({ options: { trigger: { type, name: 'trigger' }, extraInputs: [], extraOutputs: [] }, logHandler: warn }),
  });

describe('the discovery preInvocation hook', () => {
  let sandbox: RunningSandbox;
  const build = (): Services =>
    createServices(
      parseConfig({
        ...sandbox.config({ services: [] }),
        discovery: { subscriptions: [SANDBOX_SUBSCRIPTION], tag: { name: 'apim-dr', value: 'protect' } },
      }),
      { settings: sandbox.settings, extraCa: sandbox.caPem, logger: createLogger(() => undefined) },
    );

  beforeAll(async () => {
    sandbox = await startSandbox({ services: [] });
    await build().fleet.store.write({ ...EMPTY_DISCOVERY, lastAttemptAt: found.foundAt, lastSuccessAt: found.foundAt, instances: [found] });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('brings an activity’s worker up to date with the list the tick wrote elsewhere', async () => {
    const services = build();
    useServices(() => services);
    expect(services.config.services).toEqual([]);
    await syncDiscoveredFleet(hookContext('activityTrigger'));
    expect(services.config.services.map((s) => s.id)).toEqual([found.id]);
  });

  it('leaves orchestrators alone: they must replay without I/O', async () => {
    const services = build();
    useServices(() => services);
    await syncDiscoveredFleet(hookContext('orchestrationTrigger'));
    expect(services.config.services).toEqual([]);
  });

  it('never fails the invocation: a config that cannot load is the function’s own error to report', async () => {
    const log = vi.fn();
    useServices(() => {
      throw new Error('app setting APIM_DR_CONFIG is not set');
    });
    await expect(syncDiscoveredFleet(hookContext('httpTrigger', log))).resolves.toBeUndefined();
    expect(log).toHaveBeenCalledWith('warning', expect.stringContaining('discovery list not refreshed: app setting APIM_DR_CONFIG is not set'));
  });
});
