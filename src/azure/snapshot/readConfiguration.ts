/** Reads an instance's whole configuration through ARM: every type, every page, children under their parents. */
import { captureResource, type NotCaptured, type SnapshotResource } from '../../domain/snapshot/captureResource';
import { apiPlace } from '../../domain/snapshot/apiRevisions';
import { childTypes, kindOf, listedUnder, TOP_LEVEL_TYPES, typeByLabel, typeOfPath, type ResourceType } from '../../domain/snapshot/resourceTypes';
import { ArmConfigError, type ArmConfigClient, type ArmItem } from './armConfigClient';
import { readOperationTags } from './readOperationTags';

export interface Unreadable {
  type: string;
  code: string;
  message: string;
}

export interface ConfigurationRead {
  resources: SnapshotResource[];
  notCaptured: NotCaptured[];
  /** Types the instance would not list (MethodNotAllowedInPricingTier on its tier, …), with ARM's reason. */
  unreadable: Unreadable[];
}

/** Codes that mean "this tier has no such thing", not "the read failed". */
const ABSENT_ON_TIER = ['MethodNotAllowedInPricingTier', 'FeatureNotSupported'];

export async function readConfiguration(client: ArmConfigClient): Promise<ConfigurationRead> {
  return readTypes(client, TOP_LEVEL_TYPES);
}

/** Reads these top-level types and everything under them (a part of a snapshot taken in parts). */
export async function readTypes(client: ArmConfigClient, types: readonly ResourceType[]): Promise<ConfigurationRead> {
  const read: ConfigurationRead = { resources: [], notCaptured: [], unreadable: [] };
  await Promise.all(types.map((type) => readType(client, type, '', read)));
  return sortRead(read);
}

/** Parts read apart come back together in one order, whatever order they were read in. */
export function sortRead(read: ConfigurationRead): ConfigurationRead {
  read.resources.sort((a, b) => a.path.localeCompare(b.path));
  read.notCaptured.sort((a, b) => a.path.localeCompare(b.path) || a.what.localeCompare(b.what));
  read.unreadable.sort((a, b) => a.type.localeCompare(b.type));
  return read;
}

/** The names of a collection's items, built-ins left out: how a snapshot in parts divides the APIs. */
export async function listNames(client: ArmConfigClient, type: ResourceType): Promise<string[]> {
  const items = await client.list(type.pattern);
  return items.map((i) => i.name).filter((name) => !type.builtIn?.includes(name.toLowerCase()));
}

/** `listNames`, or undefined when the tier has no such type (MethodNotAllowedInPricingTier): workspaces on Standard. */
export async function listNamesIfOnTier(client: ArmConfigClient, type: ResourceType): Promise<string[] | undefined> {
  try {
    return await listNames(client, type);
  } catch (err) {
    if (absentOnTier(err)) return undefined;
    throw err;
  }
}

function absentOnTier(err: unknown): boolean {
  return err instanceof ArmConfigError && err.status === 400 && ABSENT_ON_TIER.includes(err.code);
}

/**
 * A workspace and what is under it but its APIs, which a snapshot in parts reads a page at a time (as the service's):
 * a workspace may hold as many APIs as an instance.
 */
export async function readWorkspaceWithoutApis(client: ArmConfigClient, name: string): Promise<ConfigurationRead> {
  const read: ConfigurationRead = { resources: [], notCaptured: [], unreadable: [] };
  const type = typeByLabel('workspaces')!;
  const found = await client.get(`workspaces/${name}`);
  if (found) await keep(client, type, `workspaces/${found.item.name}`, found.item, read, [typeByLabel('workspaceApis')!]);
  return sortRead(read);
}

/** Reads one API (or product, …) and everything under it: what `--only` and its verification need. */
export async function readSubtree(client: ArmConfigClient, type: ResourceType, name: string): Promise<ConfigurationRead> {
  const read: ConfigurationRead = { resources: [], notCaptured: [], unreadable: [] };
  const found = await client.get(`${type.pattern}/${name}`);
  if (found) await keep(client, type, `${type.pattern}/${found.item.name}`, found.item, read);
  read.resources.sort((a, b) => a.path.localeCompare(b.path));
  return read;
}

/**
 * Reads only these paths (and, for those with children, what is under them): what `--only` needs to plan and verify,
 * at the cost of its scope rather than of the whole instance.
 */
export async function readPaths(client: ArmConfigClient, paths: string[]): Promise<ConfigurationRead> {
  const read: ConfigurationRead = { resources: [], notCaptured: [], unreadable: [] };
  const wanted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  // An API is read with its revisions: `apis/orders;rev=2` needs no read of its own when `apis/orders` is wanted.
  const under = (p: string, q: string) =>
    p.toLowerCase().startsWith(`${q.toLowerCase()}/`) || (apiPlace(p)?.rev !== undefined && p.toLowerCase().startsWith(`${q.toLowerCase()};rev=`));
  const roots = wanted.filter((p, i) => !wanted.slice(0, i).some((q) => childTypes(typeOfPath(q)?.pattern ?? '').length > 0 && under(p, q)));
  await Promise.all(
    roots.map(async (path) => {
      const type = typeOfPath(path);
      if (!type) return;
      if (type.linkTo) {
        if (await client.exists(path)) read.resources.push({ path });
        return;
      }
      const found = await client.get(path, type.policy ? { format: 'rawxml' } : {});
      if (!found) return;
      const name = path.split('/').pop()!;
      if (type.builtIn?.includes(name.toLowerCase())) return;
      await keep(client, type, path, found.item, read);
    }),
  );
  read.resources.sort((a, b) => a.path.localeCompare(b.path));
  return read;
}

async function readType(client: ArmConfigClient, type: ResourceType, parent: string, read: ConfigurationRead): Promise<void> {
  const collection = `${parent}${type.pattern.split('/').pop()}`;
  let items: ArmItem[];
  try {
    if (type.singleton) {
      const found = await client.get(`${collection}/${type.singleton}`, type.policy ? { format: 'rawxml' } : {});
      items = found ? [found.item] : [];
    } else {
      items = await client.list(collection);
      if (type.getEach) items = (await Promise.all(items.map(async (i) => (await client.get(`${collection}/${i.name}`))?.item))).filter((i) => !!i);
    }
  } catch (err) {
    if (absentOnTier(err) && !parent) {
      const { code, message } = err as ArmConfigError;
      read.unreadable.push({ type: type.label, code, message });
      return;
    }
    throw err;
  }
  await Promise.all(
    items.filter((item) => !type.builtIn?.includes(item.name.toLowerCase())).map((item) => keep(client, type, `${collection}/${item.name}`, item, read)),
  );
}

async function keep(
  client: ArmConfigClient,
  type: ResourceType,
  path: string,
  item: ArmItem,
  read: ConfigurationRead,
  without: readonly ResourceType[] = [],
): Promise<void> {
  const captured = captureResource(type, path, item.properties, client.service.id);
  read.notCaptured.push(...captured.notCaptured);
  if (!captured.resource) return;
  read.resources.push(captured.resource);
  // At the service and in a workspace alike.
  const api = kindOf(type) === 'apis';
  const revision = api ? apiPlace(path)?.rev : undefined;
  const children = childTypes(type.pattern).filter(
    (child) =>
      !without.includes(child) &&
      !child.listedBy &&
      (!child.underApiType || item.properties?.type === child.underApiType) &&
      // Releases belong to the API, not to each of its revisions.
      (revision === undefined || kindOf(child) !== 'apis/*/releases'),
  );
  await Promise.all([
    ...children.map((child) => readType(client, child, `${path}/`, read)),
    ...listedUnder(type.pattern).map((nested) => readOperationTags(client, nested, path, (linkPath) => keep(client, nested, linkPath, { name: '' }, read))),
    api && revision === undefined ? readRevisions(client, type, path, read) : undefined,
  ]);
}

/**
 * `GET apis` lists current revisions only: the others are found in `apis/{a}/revisions` and read as `apis/{a};rev={n}`
 * (in a workspace: `workspaces/{w}/apis/{a}/revisions`, WorkspaceApiRevision_ListByService).
 */
async function readRevisions(client: ArmConfigClient, type: ResourceType, path: string, read: ConfigurationRead): Promise<void> {
  const revisions = (await client.list(`${path}/revisions`)) as unknown as { apiRevision?: string; isCurrent?: boolean }[];
  await Promise.all(
    revisions
      .filter((r) => r.isCurrent === false && r.apiRevision)
      .map(async (r) => {
        const found = await client.get(`${path};rev=${r.apiRevision}`);
        if (found) await keep(client, type, `${path};rev=${r.apiRevision}`, found.item, read);
      }),
  );
}
