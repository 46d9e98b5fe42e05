/**
 * What one sweep run decided and did, kept in storage under `sweeps/<run>/` rather than in Durable payloads: the
 * plan's pages, the protection assessment, and each step's outcome. A page is handed to the next step by name and
 * SHA-256 digest; the digest travels in the orchestration's own history, so a blob written by anyone else (or an
 * input naming a page the planner never wrote) is refused before anything is acted on.
 */
import { createHash } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { z } from 'zod';
import { AzureError } from '../errors';
import { downloadText, parseStored } from './blobText';
import { SWEEP_RUNS_PREFIX } from './stateLayout';
import { storageError, storageStatus } from './storageErrors';

const PREFIX = SWEEP_RUNS_PREFIX;

export interface StoredPage {
  name: string;
  digest: string;
}

export class SweepRunStore {
  constructor(private readonly container: ContainerClient) {}

  /** The folder of a run's parts: `sweeps/<run>/`. Run IDs are Durable instance IDs. */
  static folder(runId: string): string {
    return `${PREFIX}${encodeURIComponent(runId)}/`;
  }

  /** The blob name of one part of a run: `sweeps/<run>/<part>.json`. */
  static blobName(runId: string, part: string): string {
    return `${SweepRunStore.folder(runId)}${part}.json`;
  }

  /** Writes a part of a run (replacing what an earlier attempt of the same step wrote) and returns its digest. */
  async write(runId: string, part: string, value: unknown, at: Date): Promise<StoredPage> {
    const name = SweepRunStore.blobName(runId, part);
    const body = JSON.stringify(value);
    try {
      await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
        metadata: { at: at.toISOString().replace(/[-:.]/g, '') },
      });
    } catch (err) {
      throw storageError(err, `write sweep run part '${name}'`);
    }
    return { name, digest: digest(body) };
  }

  /**
   * Reads a part written by `write` and checks it is byte for byte what was written (its digest) and of its schema.
   * Anything else is an AzureError `SweepPageForged`: the step does nothing with it.
   */
  async readVerified<T extends z.ZodType>(runId: string, part: string, expectedDigest: string, schema: T): Promise<z.output<T>> {
    const name = SweepRunStore.blobName(runId, part);
    let text: string;
    try {
      text = (await downloadText(this.container.getBlockBlobClient(name))).text;
    } catch (err) {
      if (storageStatus(err) === 404) throw new AzureError(`storage: sweep run part '${name}' does not exist: this run never planned it`, FORGED);
      throw storageError(err, `read sweep run part '${name}'`);
    }
    if (digest(text) !== expectedDigest) {
      throw new AzureError(`storage: sweep run part '${name}' is not what this run's planner wrote (its digest differs): left alone`, FORGED);
    }
    return parseStored(name, text, schema, { what: 'sweep run part', code: FORGED });
  }

  /** Reads a part without a digest, for reports (never to decide what to delete); undefined when absent. */
  async readReport<T extends z.ZodType>(runId: string, part: string, schema: T): Promise<z.output<T> | undefined> {
    const name = SweepRunStore.blobName(runId, part);
    try {
      const { text } = await downloadText(this.container.getBlockBlobClient(name));
      return parseStored(name, text, schema, { what: 'sweep run part', code: 'InvalidSweepReport' });
    } catch (err) {
      if (storageStatus(err) === 404) return undefined;
      throw err instanceof AzureError ? err : storageError(err, `read sweep run part '${name}'`);
    }
  }

  /** Deletes the parts of runs written before `before` (their reports are in telemetry); returns how many blobs went. */
  async prune(before: Date): Promise<number> {
    const cutoff = before.toISOString().replace(/[-:.]/g, '');
    let removed = 0;
    try {
      for await (const blob of this.container.listBlobsFlat({ prefix: PREFIX, includeMetadata: true })) {
        const at = blob.metadata?.['at'];
        if (at && at < cutoff) {
          await this.container.getBlockBlobClient(blob.name).deleteIfExists();
          removed += 1;
        }
      }
    } catch (err) {
      throw storageError(err, 'prune old sweep runs');
    }
    return removed;
  }
}

export const FORGED = 'SweepPageForged';

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
