/** A standby kept by snapshots reads on the dashboard as one kept by restores: what it holds, and its last apply. */
import { describe, expect, it } from 'vitest';
import { renderDashboard } from '../../../src/dashboard/renderDashboard';
import { heldName } from '../../../src/domain/standbySync';
import type { DashboardView } from '../../../src/workflows/status/dashboardView';

const NOW = '2026-03-10T12:00:00.000Z';
const SNAPSHOT = 'contoso-apim-v2-neu.20260310T100000Z.manual.apimsnapshot';
const RECORD = 'contoso-apim-v2-neu.20260310T101500Z.a1b2c3d.json';

function view(): DashboardView {
  return {
    at: NOW,
    summary: { protected: 1, 'at-risk': 0, unprotected: 0 },
    onStv1: 0,
    armUnreachable: [],
    timelineStart: '2026-02-03T12:00:00.000Z',
    restoreWindowStart: '2026-02-08T12:00:00.000Z',
    instances: [
      {
        service: 'contoso-apim-v2-weu',
        id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/contoso-apim-v2-weu',
        protection: 'protected',
        reasons: [],
        rpoMs: 86_400_000,
        standbys: [
          {
            service: 'contoso-apim-v2-neu',
            sync: 'after-backup',
            state: 'diverged',
            via: 'snapshot',
            holds: { snapshotName: SNAPSHOT, source: 'contoso-apim-v2-neu', purpose: 'apply', since: '2026-03-10T10:15:00.000Z', recordName: RECORD },
            lastApply: {
              recordName: RECORD,
              snapshotName: SNAPSHOT,
              source: 'contoso-apim-v2-neu',
              purpose: 'apply',
              state: 'succeeded',
              verdict: 'Fully',
              requestedBy: 'oncall@contoso.example',
              startedAt: '2026-03-10T10:14:00.000Z',
              completedAt: '2026-03-10T10:15:00.000Z',
              rtoMs: 60_000,
            },
          },
        ],
        timeline: [],
      } as never,
    ],
  };
}

describe('a standby kept by snapshots on the dashboard', () => {
  it('names the snapshot a diverged standby holds, not a question mark', () => {
    const html = renderDashboard(view());
    expect(html).toContain(`holds ${SNAPSHOT}`);
    expect(html).not.toContain('holds ?');
  });

  it('shows its last apply: state, RTO, who, and the record', () => {
    const html = renderDashboard(view());
    expect(html).toMatch(/last snapshot apply succeeded, RTO 1m/);
    expect(html).toContain('oncall@contoso.example');
    expect(html).toContain(RECORD);
  });

  it('names what a diverged standby holds: the backup, else the snapshot', () => {
    expect(heldName({ backupName: 'b', source: 's', purpose: 'rollback', recordName: 'r' })).toBe('b');
    expect(heldName({ snapshotName: SNAPSHOT, source: 's', purpose: 'apply', recordName: 'r' })).toBe(SNAPSHOT);
  });
});
