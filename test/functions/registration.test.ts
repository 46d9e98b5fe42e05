import { beforeAll, describe, expect, it } from 'vitest';
import { loadFunctions } from '../../dev/localHost/LocalHost';
import { triggerOf, type Registration } from '../../src/inProcess/registration';
import { Activities, Orchestrations } from '../../src/workflows/names';
import { SnapshotActivities, SnapshotOrchestrations } from '../../src/workflows/snapshot/names';

describe('functions/ registrations (what the Functions host indexes)', () => {
  let functions: Map<string, Registration>;
  beforeAll(async () => {
    functions = await loadFunctions();
  });

  const get = (name: string) => {
    const registration = functions.get(name);
    if (!registration) throw new Error(`function '${name}' is not registered`);
    return registration;
  };
  const binding = (name: string, type: string) => Object.values(get(name).metadata.bindings).find((b) => b.type === type);

  it('registers the backup, restore and migration orchestrations and each of their activities', () => {
    for (const orchestration of Object.values(Orchestrations)) expect(triggerOf(get(orchestration)).type).toBe('orchestrationTrigger');
    for (const activity of Object.values(Activities)) expect(triggerOf(get(activity)).type).toBe('activityTrigger');
  });

  it('registers the snapshot orchestrations and their activities', () => {
    for (const orchestration of Object.values(SnapshotOrchestrations)) expect(triggerOf(get(orchestration)).type).toBe('orchestrationTrigger');
    for (const activity of Object.values(SnapshotActivities)) expect(triggerOf(get(activity)).type).toBe('activityTrigger');
  });

  it.each([
    ['scheduleTick', '%APIM_DR_TICK_SCHEDULE%'],
    ['expirySweep', '%APIM_DR_SWEEP_SCHEDULE%'],
  ])('runs %s on the schedule in an app setting, with a durable client', (name, schedule) => {
    const trigger = triggerOf(get(name));
    expect(trigger.type).toBe('timerTrigger');
    expect(trigger['schedule']).toBe(schedule);
    expect(binding(name, 'durableClient')?.direction).toBe('in');
  });

  it('registers the expiry sweep orchestration, with a durable client for renewals', () => {
    expect(triggerOf(get(Orchestrations.sweep)).type).toBe('orchestrationTrigger');
    expect(binding(Activities.renewBackups, 'durableClient')?.direction).toBe('in');
  });

  it.each([
    ['postBackup', 'backups', ['POST']],
    ['listBackups', 'backups', ['GET']],
    ['getOperation', 'operations/{id}', ['GET']],
    ['getOperationLog', 'operations/{id}/logs', ['GET']],
    ['postRestoreCheck', 'restores/check', ['POST']],
    ['getStatus', 'status', ['GET']],
    ['getDashboard', 'dashboard', ['GET']],
    ['postRestore', 'restores', ['POST']],
    ['postMigrationCheck', 'migrations/check', ['POST']],
    ['postMigration', 'migrations', ['POST']],
    ['listRecords', 'restores', ['GET']],
    ['describe', 'describe', ['GET']],
    ['postSnapshot', 'snapshots', ['POST']],
    ['listSnapshots', 'snapshots', ['GET']],
    ['postSnapshotApplyCheck', 'snapshots/apply/check', ['POST']],
    ['postSnapshotApply', 'snapshots/apply', ['POST']],
  ])('serves %s on /api/%s with function-key auth', (name, route, methods) => {
    const trigger = triggerOf(get(name));
    expect(trigger.type).toBe('httpTrigger');
    expect(trigger['route']).toBe(route);
    expect(trigger['methods']).toEqual(methods);
    expect(trigger['authLevel']).toBe('function');
    expect(binding(name, 'http')?.direction).toBe('out');
    expect(binding(name, 'durableClient')?.direction).toBe('in');
  });

  it('receives configuration-change events from Event Grid', () => {
    expect(triggerOf(get('onConfigurationChange')).type).toBe('eventGridTrigger');
  });

  it('exposes no anonymous HTTP function', () => {
    const anonymous = [...functions.values()].filter((r) => triggerOf(r).type === 'httpTrigger' && triggerOf(r)['authLevel'] !== 'function');
    expect(anonymous.map((r) => r.metadata.name)).toEqual([]);
  });
});
