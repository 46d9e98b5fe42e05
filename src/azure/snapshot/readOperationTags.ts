/**
 * An API's operation tags from one list, `apis/{a}/operationsByTags` (a page holds every tag of every operation), rather
 * than one `operations/{o}/tags` list per operation: 20 operations cost one request, not 20. Each entry names its tag
 * (`/tags/{tagId}`) and its operation (`/apis/{a}/operations/{o}`) by relative ID (2024-05-01 TagResourceContract).
 */
import type { ResourceType } from '../../domain/snapshot/resourceTypes';
import type { ArmConfigClient } from './armConfigClient';

interface TagResource {
  tag?: { id?: string };
  operation?: { id?: string };
}

export async function readOperationTags(client: ArmConfigClient, type: ResourceType, apiPath: string, keep: (path: string) => Promise<void>): Promise<void> {
  const entries = (await client.list(`${apiPath}/${type.listedBy}`)) as unknown as TagResource[];
  const links = new Set<string>();
  for (const entry of entries) {
    const operation = entry.operation?.id?.split('/').pop();
    const tag = entry.tag?.id?.split('/').pop();
    // An untagged operation may be listed without a tag: no link to keep.
    if (operation && tag) links.add(`${apiPath}/operations/${operation}/tags/${tag}`);
  }
  await Promise.all([...links].map(keep));
}
