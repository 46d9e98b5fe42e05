/**
 * A snapshot taken in bounded parts, one activity each: the plan lists the APIs (one list); each part reads one
 * top-level type, or a page of APIs with everything under them, and leaves what it read in the state container; the
 * last activity puts the parts together into one snapshot. No activity reads more than a page of APIs, and payloads
 * carry names and counts, never configuration.
 */
import { JsonBlobStore } from '../../azure/jsonBlobStore';
import { SNAPSHOT_STAGING_PREFIX } from '../../azure/stateLayout';
import { stagingTags } from '../../domain/stagingSweepPlan';
import type { ArmConfigClient } from '../../azure/snapshot/armConfigClient';
import {
  listNames,
  listNamesIfOnTier,
  readPaths,
  readTypes,
  readWorkspaceWithoutApis,
  sortRead,
  type ConfigurationRead,
} from '../../azure/snapshot/readConfiguration';
import { snapshotDocumentSchema } from '../../domain/snapshot/snapshotDocument';
import { TOP_LEVEL_TYPES, typeByLabel } from '../../domain/snapshot/resourceTypes';
import { z } from 'zod';
import { AzureError } from '../../errors';
import type { Services } from '../../services';
import { configuredInstance, storeSnapshot, summarize, type SnapshotSummary, type TakeSnapshotInput } from './takeSnapshot';

/** APIs per part: 20 APIs of 20 operations with their policies are about 900 reads and a few hundred KB. */
export const APIS_PER_PART = 20;

/** A workspace's part holds what is under it but its APIs, or (with `apis`) a page of its APIs. */
export type SnapshotPart = { types: string[] } | { apis: string[] } | { workspace: string; apis?: string[] };

export interface SnapshotPartsPlan {
  takenAt: string;
  parts: SnapshotPart[];
  armRequests: number;
}

export interface SnapshotPartInput {
  serviceId: string;
  runId: string;
  index: number;
  part: SnapshotPart;
}

export interface FinishPartsInput extends TakeSnapshotInput {
  runId: string;
  takenAt: string;
  parts: number;
  armRequests: number;
}

const partBlob = (runId: string, index: number) => `${SNAPSHOT_STAGING_PREFIX}${runId}/${String(index).padStart(4, '0')}.json`;
const partSchema = z.object({
  resources: snapshotDocumentSchema.shape.resources,
  notCaptured: snapshotDocumentSchema.shape.notCaptured,
  unreadable: z.array(z.object({ type: z.string(), code: z.string(), message: z.string() })),
});

export async function planSnapshotParts(services: Services, input: TakeSnapshotInput): Promise<SnapshotPartsPlan> {
  const ref = configuredInstance(services, input.serviceId);
  const takenAt = services.clock.now().toISOString();
  const client = services.configClient(ref);
  const apis = await listNames(client, typeByLabel('apis')!);
  // A part per workspace (it holds APIs of its own); a tier without workspaces gets one part that records why.
  const workspaces = await listNamesIfOnTier(client, typeByLabel('workspaces')!);
  const parts: SnapshotPart[] = TOP_LEVEL_TYPES.filter((t) => t.label !== 'apis' && (t.label !== 'workspaces' || !workspaces)).map((t) => ({
    types: [t.label],
  }));
  for (let i = 0; i < apis.length; i += APIS_PER_PART) parts.push({ apis: apis.slice(i, i + APIS_PER_PART) });
  for (const workspace of workspaces ?? []) {
    parts.push({ workspace });
    const names = (await client.list(`workspaces/${workspace}/apis`)).map((api) => api.name);
    for (let i = 0; i < names.length; i += APIS_PER_PART) parts.push({ workspace, apis: names.slice(i, i + APIS_PER_PART) });
  }
  return { takenAt, parts, armRequests: client.requests.count };
}

/** Reads one part and leaves it in the state container (written again as a whole if the activity runs twice). */
export async function readSnapshotPart(services: Services, input: SnapshotPartInput): Promise<{ resources: number; armRequests: number }> {
  const ref = configuredInstance(services, input.serviceId);
  const client = services.configClient(ref);
  const read = await readPart(client, input.part);
  // Tagged for its run: the sweep removes what a dead run left, and nothing it did not write (sweepStaging.ts).
  await new JsonBlobStore(services.snapshots.container).write(partBlob(input.runId, input.index), read, 'any', stagingTags(input.runId, services.clock.now()));
  return { resources: read.resources.length, armRequests: client.requests.count };
}

function readPart(client: ArmConfigClient, part: SnapshotPart): Promise<ConfigurationRead> {
  if ('types' in part)
    return readTypes(
      client,
      part.types.map((label) => typeByLabel(label)!),
    );
  if (!('workspace' in part))
    return readPaths(
      client,
      part.apis.map((name) => `apis/${name}`),
    );
  if (!part.apis) return readWorkspaceWithoutApis(client, part.workspace);
  return readPaths(
    client,
    part.apis.map((name) => `workspaces/${part.workspace}/apis/${name}`),
  );
}

/** A read staged in parts: which run, how many parts. */
export interface StagedRead {
  runId: string;
  parts: number;
}

/** Puts the parts together into one snapshot, stores it, and clears the parts away. */
export async function finishSnapshotParts(services: Services, input: FinishPartsInput): Promise<SnapshotSummary> {
  const ref = configuredInstance(services, input.serviceId);
  const read = await readStagedParts(services, input);
  const manifest = await storeSnapshot(services, ref, {
    takenAt: new Date(input.takenAt),
    read,
    armRequests: input.armRequests,
    trigger: input.trigger,
    requestedBy: input.requestedBy,
    correlationId: input.correlationId,
  });
  await clearStagedParts(services, input);
  return summarize(manifest);
}

/** The parts of a staged read put together, as one read of the whole instance would have answered. */
export async function readStagedParts(services: Services, staged: StagedRead): Promise<ConfigurationRead> {
  const store = new JsonBlobStore(services.snapshots.container);
  const read: ConfigurationRead = { resources: [], notCaptured: [], unreadable: [] };
  for (let index = 0; index < staged.parts; index++) {
    const part = await store.read(partBlob(staged.runId, index), partSchema, { what: 'apim-dr snapshot part', code: 'InvalidSnapshotPart' });
    if (!part) throw new AzureError(`snapshot part ${index} of run '${staged.runId}' is missing from the state container`, 'SnapshotPartMissing');
    read.resources.push(...part.value.resources);
    read.notCaptured.push(...part.value.notCaptured);
    read.unreadable.push(...part.value.unreadable);
  }
  return sortRead(read);
}

/** Activity: clears a staged read's parts away (a dry run that refused, a verification done). */
export async function clearStagedParts(services: Services, staged: StagedRead): Promise<void> {
  for (let index = 0; index < staged.parts; index++) await services.snapshots.container.getBlockBlobClient(partBlob(staged.runId, index)).deleteIfExists();
}
