/**
 * Operation records (restores, migrations) in the state container, one JSON blob each under a folder, named
 * `<folder>/<subject>.<time>…json` so that one listing per subject reads them newest first. Written conditionally
 * so that a re-run activity finds its own.
 */
import type { z } from 'zod';
import { approvalRecordSchema, type ApprovalRecord } from '../domain/approvalRecord';
import { migrationRecordSchema, type MigrationRecord } from '../domain/migrationRecord';
import { parseRecordName } from '../domain/recordRetention';
import { restoreRecordSchema, type RestoreRecord } from '../domain/restoreRecord';
import { AzureError } from '../errors';
import type { JsonBlobStore } from './jsonBlobStore';
import { APPROVALS_FOLDER, MIGRATIONS_FOLDER, RESTORES_FOLDER } from './stateLayout';

interface RecordKind<T> {
  folder: string;
  schema: z.ZodType<T>;
  /** What the record is, in messages: 'restore record'. */
  what: string;
  /** The error code of a record that does not parse. */
  invalidCode: string;
  /** Whether a record is settled: written for the last time, so a copy read once stays true. */
  settled?: (record: T) => boolean;
}

/** Settled records kept in memory per log: more than the sweep keeps of a fleet's newest records. */
const SETTLED_CACHE = 20_000;

export class RecordLog<T extends { recordName: string }> {
  /** Settled records already read, by name: a tick re-reads only what is new or still running. */
  private readonly settled = new Map<string, T>();

  constructor(
    private readonly store: JsonBlobStore,
    private readonly kind: RecordKind<T>,
  ) {}

  async read(recordName: string): Promise<{ record: T; etag: string } | undefined> {
    const stored = await this.store.read(recordName, this.kind.schema, { what: `apim-dr ${this.kind.what}`, code: this.kind.invalidCode });
    return stored && { record: stored.value, etag: stored.etag };
  }

  /** Records of `subject`, newest first (names sort by time), at most `limit` of them read. */
  async recent(subject: string, limit = 10): Promise<T[]> {
    const names = (await this.store.list(`${this.kind.folder}/${subject}.`)).map((b) => b.name);
    const newest = names.sort().reverse().slice(0, limit);
    const records = await Promise.all(newest.map((name) => this.read(name)));
    return records.flatMap((r) => (r ? [r.record] : []));
  }

  /**
   * The newest records (at most `limit`) of each of `subjects`, newest first: one listing of the whole folder for all
   * of them, then reads of only the candidates not already known settled.
   */
  async recentOf(subjects: Iterable<string>, limit = 10): Promise<Map<string, T[]>> {
    const wanted = new Map([...subjects].map((s) => [s.toLowerCase(), [] as string[]]));
    if (wanted.size === 0) return new Map();
    for (const name of await this.names()) wanted.get(parseRecordName(name)?.target.toLowerCase() ?? '')?.push(name);
    const out = new Map<string, T[]>();
    await Promise.all(
      [...wanted].map(async ([subject, names]) => {
        const newest = names.sort().reverse().slice(0, limit);
        const records = await Promise.all(newest.map((name) => this.readSettledOnce(name)));
        out.set(
          subject,
          records.flatMap((r) => (r ? [r] : [])),
        );
      }),
    );
    return out;
  }

  private async readSettledOnce(recordName: string): Promise<T | undefined> {
    const known = this.settled.get(recordName);
    if (known) return known;
    const record = (await this.read(recordName))?.record;
    if (record && this.kind.settled?.(record)) {
      if (this.settled.size >= SETTLED_CACHE) this.settled.delete(this.settled.keys().next().value!);
      this.settled.set(recordName, record);
    }
    return record;
  }

  /** Every record's name, from one listing (names only: a page holds 5,000). */
  async names(): Promise<string[]> {
    return (await this.store.list(`${this.kind.folder}/`)).map((b) => b.name);
  }

  /** Deletes a record; one already gone counts as deleted. */
  async remove(recordName: string): Promise<void> {
    await this.store.remove(recordName);
  }

  /** Creates the record if absent (false when it exists), or replaces it if it still has `etag`. */
  async write(record: T, etag?: string): Promise<string | false> {
    const written = await this.store.write(record.recordName, record, etag ? { etag } : 'absent');
    if (written === false && etag) {
      throw new AzureError(
        `storage: ${this.kind.what} '${record.recordName}' changed while it was being written; the activity runs again`,
        'ConditionNotMet',
        412,
      );
    }
    return written;
  }
}

export type RestoreLog = RecordLog<RestoreRecord>;
export type MigrationLog = RecordLog<MigrationRecord>;
export type ApprovalLog = RecordLog<ApprovalRecord>;

export function restoreLog(store: JsonBlobStore): RestoreLog {
  return new RecordLog(store, {
    folder: RESTORES_FOLDER,
    schema: restoreRecordSchema,
    what: 'restore record',
    invalidCode: 'InvalidRestoreRecord',
    // finishRestore writes a record's outcome once; a refused one is written refused.
    settled: (record) => record.state !== 'running',
  });
}

export function migrationLog(store: JsonBlobStore): MigrationLog {
  return new RecordLog(store, { folder: MIGRATIONS_FOLDER, schema: migrationRecordSchema, what: 'migration record', invalidCode: 'InvalidMigrationRecord' });
}

/** Requests as the edge recorded them, with their approvals (domain/approvalRecord.ts). */
export function approvalLog(store: JsonBlobStore): ApprovalLog {
  return new RecordLog(store, { folder: APPROVALS_FOLDER, schema: approvalRecordSchema, what: 'approval record', invalidCode: 'InvalidApprovalRecord' });
}
