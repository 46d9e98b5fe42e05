/**
 * The findings blob of a snapshot apply record (`snapshot-apply-findings/<record>.json`): every finding, failed write
 * and path read back different when the record keeps only the first of each group. Tagged with the record it belongs
 * to, so the sweep can tell apim-dr's blobs from anything else put under the prefix.
 */
import type { ContainerClient } from '@azure/storage-blob';
import { applyFindingsBlob, applyFindingsSchema, type ApplyFindings } from '../../domain/snapshot/applyRecord';
import { AzureError } from '../../errors';
import { JsonBlobStore } from '../jsonBlobStore';

export const APPLY_FINDINGS_PREFIX = 'snapshot-apply-findings/';
/** The index tag every findings blob carries (`apimdr`), and the tag naming its record. */
export const APPLY_FINDINGS_TAG = { name: 'apimdr', value: 'apply-findings', record: 'record' } as const;
const KIND = { what: 'apim-dr apply findings', code: 'InvalidApplyFindings' };

export function applyFindingsTags(recordName: string): Record<string, string> {
  return { [APPLY_FINDINGS_TAG.name]: APPLY_FINDINGS_TAG.value, [APPLY_FINDINGS_TAG.record]: recordName };
}

/** Writes the record's full lists; returns the blob's name for the record's `findingsBlob`. */
export async function writeApplyFindings(container: ContainerClient, recordName: string, findings: Partial<ApplyFindings> & Pick<ApplyFindings, 'findings'>) {
  const name = applyFindingsBlob(recordName);
  await new JsonBlobStore(container).write(name, findings, 'any', applyFindingsTags(recordName));
  return name;
}

export async function readApplyFindings(container: ContainerClient, name: string): Promise<ApplyFindings | undefined> {
  return (await new JsonBlobStore(container).read(name, applyFindingsSchema, KIND))?.value;
}

/**
 * Whether a blob under the prefix is the findings blob apim-dr wrote for `recordName`: its name is that record's, and
 * its content is a findings blob. `recordName` comes from the blob's tag or from the record that names it.
 */
export async function ownsApplyFindings(
  container: ContainerClient,
  name: string,
  recordName: string,
): Promise<{ owned: true } | { owned: false; reason: string }> {
  if (!recordName.startsWith('snapshot-applies/') || applyFindingsBlob(recordName) !== name)
    return { owned: false, reason: `it is not the findings blob of record '${recordName}'` };
  try {
    if (!(await readApplyFindings(container, name))) return { owned: false, reason: 'it is gone' };
  } catch (err) {
    if (err instanceof AzureError && err.code === KIND.code) return { owned: false, reason: err.message };
    throw err;
  }
  return { owned: true };
}
