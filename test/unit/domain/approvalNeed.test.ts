import { describe, expect, it } from 'vitest';
import { migrationApprovalReason, restoreApprovalReason, type RestoreShape } from '../../../src/domain/approvalNeed';
import { samePrincipal } from '../../../src/domain/approvalRecord';

const ON = { inPlace: true };
const shape = (over: Partial<RestoreShape>): RestoreShape => ({
  relation: 'in-place',
  purpose: 'restore',
  target: 'prod',
  targetProtected: true,
  preRestoreBackup: true,
  ...over,
});

describe('which requests wait for a second person', () => {
  it('an in-place restore of a protected instance, with or without its pre-restore backup', () => {
    expect(restoreApprovalReason(ON, shape({}))).toContain("replaces the configuration of the protected instance 'prod'");
    expect(restoreApprovalReason(ON, shape({ preRestoreBackup: false }))).toContain('without a pre-restore backup cannot be undone');
    expect(restoreApprovalReason(ON, shape({ purpose: 'rollback', preRestoreBackup: false }))).toBeDefined();
  });

  it('a restore that skips the pre-restore backup of a protected target that is not a configured standby', () => {
    expect(restoreApprovalReason(ON, shape({ relation: 'drill-target', purpose: 'restore', preRestoreBackup: false }))).toContain(
      'skips the pre-restore backup',
    );
  });

  it('never a restore into a configured standby, a sync, a drill or a migration’s restore', () => {
    expect(restoreApprovalReason(ON, shape({ relation: 'standby', preRestoreBackup: false }))).toBeUndefined();
    for (const purpose of ['sync', 'drill', 'migration'] as const) expect(restoreApprovalReason(ON, shape({ purpose }))).toBeUndefined();
  });

  it('an in-place migration, not a side-by-side one; nothing when approvals.inPlace is off', () => {
    expect(migrationApprovalReason(ON, 'in-place', 'dev')).toContain("in-place migration of 'dev' off stv1 cannot be undone");
    expect(migrationApprovalReason(ON, 'side-by-side', 'dev')).toBeUndefined();
    expect(migrationApprovalReason({ inPlace: false }, 'in-place', 'dev')).toBeUndefined();
    expect(restoreApprovalReason({ inPlace: false }, shape({ preRestoreBackup: false }))).toBeUndefined();
  });
});

describe('requester and approver', () => {
  it('are the same person when their object IDs match, whatever their names say', () => {
    expect(
      samePrincipal('alice@contoso.example (11111111-0000-0000-0000-000000000001)', 'alice.renamed@contoso.example (11111111-0000-0000-0000-000000000001)'),
    ).toBe(true);
    expect(samePrincipal('alice@contoso.example (11111111-0000-0000-0000-000000000001)', 'alice@contoso.example (11111111-0000-0000-0000-000000000002)')).toBe(
      false,
    );
  });

  it('are the same anonymous caller when HTTP authentication is off', () => {
    expect(samePrincipal('anonymous (HTTP authentication off)', 'anonymous (HTTP authentication off)')).toBe(true);
  });
});
