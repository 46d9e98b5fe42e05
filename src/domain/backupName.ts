/** Backup blob names: `<service>.<yyyyMMddTHHmmssZ>.<trigger>.apimbackup` (docs/design.md §4). */
import { SERVICE_NAME_PATTERN } from './resourceId';

export const BACKUP_TRIGGERS = ['scheduled', 'event', 'manual', 'pre-restore', 'pre-migration'] as const;
export type BackupTrigger = (typeof BACKUP_TRIGGERS)[number];

const BACKUP_SUFFIX = '.apimbackup';
const MANIFEST_SUFFIX = '.manifest.json';
const NAME = new RegExp(`^(${SERVICE_NAME_PATTERN})\\.(\\d{8}T\\d{6}Z)\\.([a-z-]+)\\.apimbackup$`);

export function formatBackupTime(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function backupName(service: string, at: Date, trigger: BackupTrigger): string {
  return `${service}.${formatBackupTime(at)}.${trigger}${BACKUP_SUFFIX}`;
}

export function manifestName(backup: string): string {
  return backup.slice(0, -BACKUP_SUFFIX.length) + MANIFEST_SUFFIX;
}

export function backupNameOfManifest(manifest: string): string | undefined {
  return manifest.endsWith(MANIFEST_SUFFIX) ? manifest.slice(0, -MANIFEST_SUFFIX.length) + BACKUP_SUFFIX : undefined;
}

/** The listing prefix that matches exactly one instance's backups (`.` cannot occur in a service name). */
export function servicePrefix(service: string): string {
  return `${service}.`;
}

export interface ParsedBackupName {
  service: string;
  createdAt: Date;
  trigger: BackupTrigger;
}

export function parseBackupName(name: string): ParsedBackupName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, service, stamp, trigger] = m as unknown as [string, string, string, string];
  if (!(BACKUP_TRIGGERS as readonly string[]).includes(trigger)) return undefined;
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime())) return undefined;
  return { service, createdAt, trigger: trigger as BackupTrigger };
}
