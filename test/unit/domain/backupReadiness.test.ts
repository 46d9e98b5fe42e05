import { describe, expect, it } from 'vitest';
import { checkBackupReadiness } from '../../../src/domain/backupReadiness';
import type { ServiceSnapshot } from '../../../src/domain/service';

const premium: ServiceSnapshot = {
  id: '/x',
  name: 'apim-weu',
  location: 'West Europe',
  sku: { name: 'Premium', capacity: 1 },
  provisioningState: 'Succeeded',
  platformVersion: 'stv2',
  additionalLocations: [],
  virtualNetworkType: 'None',
  hostnames: [],
  customProperties: {},
  identity: { type: 'SystemAssigned', userAssignedClientIds: [] },
  zones: [],
};
const SYSTEM = { type: 'SystemAssignedManagedIdentity' } as const;

describe('backup readiness', () => {
  it('passes a Premium instance with a system-assigned identity', () => {
    expect(checkBackupReadiness(premium, 0, SYSTEM)).toEqual([]);
  });

  it.each(['Consumption', 'BasicV2', 'StandardV2', 'PremiumV2'])('refuses the %s tier', (tier) => {
    expect(checkBackupReadiness({ ...premium, sku: { name: tier, capacity: 1 } }, 0, SYSTEM).map((p) => p.code)).toEqual(['TierNotSupported']);
  });

  it('refuses workspace gateways', () => {
    expect(checkBackupReadiness(premium, 2, SYSTEM)[0]).toMatchObject({ code: 'WorkspaceGateways', message: expect.stringContaining('2 workspace gateway') });
  });

  it('refuses a user-assigned client ID the instance does not have, listing the ones it has', () => {
    const problems = checkBackupReadiness(
      { ...premium, identity: { type: 'UserAssigned', userAssignedClientIds: ['aaaaaaaa-0000-0000-0000-000000000000'] } },
      0,
      { type: 'UserAssignedManagedIdentity', clientId: 'bbbbbbbb-0000-0000-0000-000000000000' },
    );
    expect(problems[0]?.message).toContain('aaaaaaaa-0000-0000-0000-000000000000');
  });
});
