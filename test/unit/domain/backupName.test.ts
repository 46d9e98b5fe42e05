import { describe, expect, it } from 'vitest';
import { backupName, backupNameOfManifest, manifestName, parseBackupName, servicePrefix } from '../../../src/domain/backupName';
import { backupInstanceId } from '../../../src/domain/instanceIds';

describe('backup names', () => {
  const at = new Date('2026-04-05T06:07:08.999Z');

  it('encodes service, UTC time to the second and trigger', () => {
    expect(backupName('apim-weu', at, 'scheduled')).toBe('apim-weu.20260405T060708Z.scheduled.apimbackup');
  });

  it('round-trips through parsing', () => {
    expect(parseBackupName('apim-weu.20260405T060708Z.pre-restore.apimbackup')).toEqual({
      service: 'apim-weu',
      createdAt: new Date('2026-04-05T06:07:08Z'),
      trigger: 'pre-restore',
    });
  });

  it('refuses names that are not ours', () => {
    expect(parseBackupName('apim-weu.20260405T060708Z.weekly.apimbackup')).toBeUndefined();
    expect(parseBackupName('someone-elses-backup.bak')).toBeUndefined();
  });

  it('puts the manifest next to the backup', () => {
    const name = backupName('apim-weu', at, 'manual');
    expect(manifestName(name)).toBe('apim-weu.20260405T060708Z.manual.manifest.json');
    expect(backupNameOfManifest(manifestName(name))).toBe(name);
  });

  it("lists one instance's backups exactly: no other service name shares the prefix", () => {
    expect(backupName('apim-weu-2', at, 'manual').startsWith(servicePrefix('apim-weu'))).toBe(false);
  });

  it('derives orchestration IDs that Durable accepts and that tell same-named instances apart', () => {
    const a = backupInstanceId('Apim-Weu', '/subscriptions/1/resourceGroups/a/providers/Microsoft.ApiManagement/service/Apim-Weu');
    const b = backupInstanceId('Apim-Weu', '/subscriptions/1/resourceGroups/b/providers/Microsoft.ApiManagement/service/Apim-Weu');
    expect(a).toMatch(/^backup-apim-weu-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(backupInstanceId('a'.repeat(50), 'x').length).toBeLessThanOrEqual(100);
  });
});
