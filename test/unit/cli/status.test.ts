import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { remoteStatus } from '../../../src/cli/commands/status';
import { createOutput } from '../../../src/cli/output';
import type { AppClient } from '../../../src/cli/remote/appClient';
import type { FleetStatus, InstanceStatus } from '../../../src/workflows/status/fleetStatus';

function instance(service: string, extra: Partial<InstanceStatus>): InstanceStatus {
  return {
    service,
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${service}`,
    protection: 'protected',
    reasons: [],
    rpoMs: 3_600_000,
    standbys: [],
    ...extra,
  };
}

async function printed(status: FleetStatus): Promise<string> {
  let text = '';
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  const app = { get: () => Promise.resolve({ status: 200, body: status }) } as unknown as AppClient;
  expect(await remoteStatus(app, createOutput('table', sink, sink))).toBe(0);
  return text;
}

describe('apim-dr status: an instance being overwritten', () => {
  const since = '2026-12-07T01:00:00.000Z';
  const status = (percent?: number): FleetStatus => ({
    at: '2026-12-07T01:10:00.000Z',
    summary: { protected: 2, 'at-risk': 0, unprotected: 0 },
    onStv1: 0,
    armUnreachable: [],
    instances: [
      instance('contoso-apim-weu', {
        standbys: [
          {
            service: 'contoso-apim-neu',
            sync: 'manual',
            state: 'restoring',
            progress: {
              operation: 'restore-contoso-apim-neu-1a2b3c4d',
              phase: 'restoring',
              source: 'contoso-apim-weu',
              since,
              ...(percent === undefined ? {} : { percent }),
            },
          },
        ],
      }),
      instance('contoso-apim-neu', {
        restoring: {
          operation: 'restore-contoso-apim-neu-1a2b3c4d',
          phase: 'restoring',
          source: 'contoso-apim-weu',
          since,
          ...(percent === undefined ? {} : { percent }),
        },
      }),
    ],
  });

  it('says so with its phase and since when, and no percent without history', async () => {
    const text = await printed(status());
    expect(text).toContain('being overwritten: restore from contoso-apim-weu running: restoring since 2026-12-07T01:00:00Z');
    expect(text).toContain('contoso-apim-neu restore from contoso-apim-weu running: restoring since 2026-12-07T01:00:00Z');
    expect(text).not.toContain('%');
  });

  it('shows the percent the app has, from the target’s earlier restores', async () => {
    expect(await printed(status(40))).toContain('being overwritten: restore from contoso-apim-weu running: restoring 40% since');
  });

  it('names a snapshot apply holding an instance, with its snapshot and the share of its steps done', async () => {
    const apply = {
      operation: 'restore-contoso-apim-neu-1a2b3c4d',
      phase: 'applying',
      percent: 50,
      since,
      via: 'snapshot' as const,
      snapshotName: 'contoso-apim-weu.20261207T000000Z.manual',
    };
    const text = await printed({ ...status(), instances: [instance('contoso-apim-neu', { restoring: apply })] });
    expect(text).toContain('being overwritten: snapshot apply of contoso-apim-weu.20261207T000000Z.manual running: applying 50% since 2026-12-07T01:00:00Z');
  });
});

describe('apim-dr status: a standby whose syncs went without secrets', () => {
  it('says how many and which app settings were not set', async () => {
    const lastApply = {
      recordName: 'snapshot-applies/contoso-apim-v2-neu.20261207T010000Z.0000abcd.json',
      snapshotName: 'contoso-apim-v2-weu.20261207T000000Z.scheduled',
      source: 'contoso-apim-v2-weu',
      purpose: 'sync' as const,
      state: 'partial' as const,
      verdict: 'Partially restorable',
      requestedBy: 'sync:after-backup',
      startedAt: '2026-12-07T01:00:00.000Z',
      completedAt: '2026-12-07T01:05:00.000Z',
      rtoMs: 300_000,
      failed: 0,
      mismatched: 0,
      secretsLeftOut: 1,
      missingSettings: ['APIM_DR_SECRET_NEU_REDIS'],
    };
    const text = await printed({
      at: '2026-12-07T01:10:00.000Z',
      summary: { protected: 1, 'at-risk': 0, unprotected: 0 },
      onStv1: 0,
      armUnreachable: [],
      instances: [
        instance('contoso-apim-v2-weu', {
          standbys: [{ service: 'contoso-apim-v2-neu', sync: 'after-backup', state: 'in-sync', lagMs: 0, via: 'snapshot', lastApply }],
        }),
      ],
    });
    expect(text).toContain('contoso-apim-v2-neu in-sync, 1 secret not supplied (app setting not set: APIM_DR_SECRET_NEU_REDIS)');
  });
});
