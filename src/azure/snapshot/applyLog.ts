/** Snapshot apply records, beside restore and migration records. */
import type { ContainerClient } from '@azure/storage-blob';
import { JsonBlobStore } from '../jsonBlobStore';
import { applyRecordSchema, type ApplyRecord } from '../../domain/snapshot/applyRecord';
import { RecordLog } from '../recordLog';

export type ApplyLog = RecordLog<ApplyRecord>;

/** Kept in the state container with the snapshots themselves, where only the app writes. */
export function snapshotApplyLog(container: ContainerClient): ApplyLog {
  return new RecordLog(new JsonBlobStore(container), {
    folder: 'snapshot-applies',
    schema: applyRecordSchema,
    what: 'snapshot apply record',
    invalidCode: 'InvalidApplyRecord',
  });
}
