/** Snapshot apply records, beside restore and migration records. */
import type { ContainerClient } from '@azure/storage-blob';
import { applyRecordSchema, type ApplyRecord } from '../../domain/snapshot/applyRecord';
import { RecordLog } from '../recordLog';

export type ApplyLog = RecordLog<ApplyRecord>;

export function snapshotApplyLog(container: ContainerClient): ApplyLog {
  return new RecordLog(container, { folder: 'snapshot-applies', schema: applyRecordSchema, what: 'snapshot apply record', invalidCode: 'InvalidApplyRecord' });
}
