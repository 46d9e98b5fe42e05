/**
 * Incidents for notifications: one message when a condition starts and one when it ends, however often it is
 * observed in between. Pure: the book of open incidents goes in, the new book and the messages come out.
 */

import { z } from 'zod';
import type { RestoreRecord } from './restoreRecord';
import type { ApplyRecord } from './snapshot/applyRecord';

export const INCIDENT_KINDS = [
  'backup.failed',
  'restore.failed',
  'rpo.breach',
  'restorable.none',
  'drill.failed',
  'arm.unreachable',
  'discovery.failed',
  'instance.deleted',
  'operation.refused',
  'snapshot.rpo.breach',
  'snapshot.apply.failed',
  'snapshot.failed',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** What a workflow saw just now about one subject (an instance, a restore target, or a subscription). */
export interface Observation {
  kind: IncidentKind;
  subject: string;
  active: boolean;
  at: string;
  detail?: string;
}

/**
 * Closes every open incident of `kind` whose subject `matches`: for an observer that cannot name the subjects (every
 * refused operation of an instance, every instance no longer configured). `reason` goes in the resolve message.
 */
export interface Closure {
  kind: IncidentKind;
  matches: (subject: string) => boolean;
  at: string;
  reason: string;
}

export interface Incident {
  kind: IncidentKind;
  subject: string;
  openedAt: string;
  detail?: string;
}

export type IncidentBook = Record<string, Incident>;

/** `notifications/incidents.json` as stored: read through this, never trusted as written. */
export const incidentFileSchema = z.object({
  schemaVersion: z.literal(1),
  incidents: z.record(
    z.string(),
    z.object({ kind: z.enum(INCIDENT_KINDS), subject: z.string(), openedAt: z.string(), detail: z.string().optional() }) satisfies z.ZodType<Incident>,
  ),
});

export interface Notice {
  status: 'opened' | 'resolved';
  kind: IncidentKind;
  subject: string;
  openedAt: string;
  at: string;
  /** Opened: what was seen. Resolved by a closure: why it closed. */
  detail?: string;
}

export function incidentKey(kind: IncidentKind, subject: string): string {
  return `${kind}:${subject.toLowerCase()}`;
}

export function reconcile(book: IncidentBook, observations: readonly (Observation | Closure)[]): { book: IncidentBook; notices: Notice[] } {
  const next: IncidentBook = { ...book };
  const notices: Notice[] = [];
  for (const o of observations) {
    if ('matches' in o) {
      for (const [key, open] of Object.entries(next)) {
        if (open.kind !== o.kind || !o.matches(open.subject)) continue;
        delete next[key];
        notices.push({ status: 'resolved', kind: o.kind, subject: open.subject, openedAt: open.openedAt, at: o.at, detail: o.reason });
      }
      continue;
    }
    const key = incidentKey(o.kind, o.subject);
    const open = next[key];
    if (o.active && !open) {
      next[key] = { kind: o.kind, subject: o.subject, openedAt: o.at, detail: o.detail };
      notices.push({ status: 'opened', kind: o.kind, subject: o.subject, openedAt: o.at, at: o.at, detail: o.detail });
    } else if (!o.active && open) {
      delete next[key];
      notices.push({ status: 'resolved', kind: o.kind, subject: o.subject, openedAt: open.openedAt, at: o.at });
    }
  }
  return { book: next, notices };
}

/**
 * What a settled restore says about incidents. A drill's result belongs to the instance it drills; an operator's
 * refused restore was answered to the operator at once, so it opens nothing.
 */
export function restoreObservations(
  record: Pick<RestoreRecord, 'purpose' | 'state' | 'source' | 'target' | 'requestedAt' | 'completedAt' | 'error' | 'findings'>,
): Observation[] {
  if (record.state === 'running' || (record.state === 'refused' && record.purpose === 'restore')) return [];
  const blocking = record.findings.filter((f) => f.severity === 'blocking').map((f) => `${f.code}: ${f.message}`);
  const detail = record.error ? `${record.error.code}: ${record.error.message}` : blocking.join('; ') || undefined;
  const at = record.completedAt ?? record.requestedAt;
  const active = record.state !== 'succeeded';
  return record.purpose === 'drill'
    ? [{ kind: 'drill.failed', subject: record.source, active, at, detail }]
    : [{ kind: 'restore.failed', subject: record.target, active, at, detail }];
}

/**
 * What a settled snapshot apply says about incidents, for its target. A sync refused or failed is one; an operator's
 * refused apply was answered at once and opens nothing. A partial apply is one only when writes failed or read back
 * different (secrets the snapshot never held are the dry run's findings, not a failure).
 */
export function applyObservations(
  record: Pick<ApplyRecord, 'purpose' | 'state' | 'target' | 'completedAt' | 'failed' | 'failedOmitted' | 'verification' | 'findings'>,
): Observation[] {
  if (record.state === 'refused' && record.purpose !== 'sync') return [];
  // The record keeps the first of each group; the counts are of every one.
  const mismatched = (record.verification?.mismatched.length ?? 0) + (record.verification?.mismatchedOmitted ?? 0);
  const failed = record.failed.length + (record.failedOmitted ?? 0);
  const active = record.state === 'failed' || record.state === 'refused' || failed > 0 || mismatched > 0;
  const blocking = record.findings.filter((f) => f.severity === 'blocking').map((f) => `${f.code}: ${f.message}`);
  const detail =
    record.state === 'refused'
      ? blocking.join('; ')
      : [
          failed ? `${failed} writes failed (${record.failed[0]!.path}: ${record.failed[0]!.code})` : '',
          mismatched ? `${mismatched} resources read back different` : '',
        ]
          .filter(Boolean)
          .join('; ');
  return [{ kind: 'snapshot.apply.failed', subject: record.target, active, at: record.completedAt, detail: active ? detail || undefined : undefined }];
}

const OPENED: Record<IncidentKind, (subject: string) => string> = {
  'backup.failed': (s) => `Backup of ${s} failed`,
  'restore.failed': (s) => `Restore into ${s} failed`,
  'rpo.breach': (s) => `${s} is outside its RPO: its newest restorable backup is too old`,
  'restorable.none': (s) => `${s} has no restorable backup: it cannot be rebuilt`,
  'drill.failed': (s) => `The restore drill of ${s} failed`,
  'arm.unreachable': (s) => `Azure Resource Manager does not answer for subscription ${s}: new backups there wait until it does`,
  'discovery.failed': () => 'Tag discovery failed: the last good list of instances stays protected, and changes in tags wait',
  'instance.deleted': (s) =>
    `${s} was deleted in Azure: nothing of it can be backed up; rebuild it from its newest restorable backup, or take it out of the config`,
  'operation.refused': (s) => `${s} names an operation URL apim-dr did not get from ARM for that instance: it was refused, no request sent; find who wrote it`,
  'snapshot.rpo.breach': (s) => `${s} is outside its RPO: its newest configuration snapshot is too old`,
  'snapshot.apply.failed': (s) => `Applying a snapshot to ${s} failed`,
  'snapshot.failed': (s) => `A configuration snapshot of ${s} could not be taken`,
};

const RESOLVED: Record<IncidentKind, (subject: string) => string> = {
  'backup.failed': (s) => `Backups of ${s} succeed again`,
  'restore.failed': (s) => `A restore into ${s} succeeded`,
  'rpo.breach': (s) => `${s} is within its RPO again`,
  'restorable.none': (s) => `${s} has a restorable backup again`,
  'drill.failed': (s) => `The restore drill of ${s} passed`,
  'arm.unreachable': (s) => `Azure Resource Manager answers again for subscription ${s}`,
  'discovery.failed': () => 'Tag discovery reads every subscription again',
  'instance.deleted': (s) => `${s} is no longer reported deleted`,
  'operation.refused': (s) => `The refused operation of ${s} is closed`,
  'snapshot.rpo.breach': (s) => `${s} is within its RPO again: a new configuration snapshot was taken`,
  'snapshot.apply.failed': (s) => `A snapshot was applied to ${s} in full`,
  'snapshot.failed': (s) => `Configuration snapshots of ${s} are taken again`,
};

/** One line a person reads in Teams or Slack. */
export function noticeText(notice: Notice): string {
  if (notice.status === 'opened') return `[apim-dr] ${OPENED[notice.kind](notice.subject)}${notice.detail ? `: ${notice.detail}` : ''} (${notice.at})`;
  return `[apim-dr] Resolved: ${RESOLVED[notice.kind](notice.subject)}${notice.detail ? `: ${notice.detail}` : ''} (since ${notice.openedAt}, resolved ${notice.at})`;
}
