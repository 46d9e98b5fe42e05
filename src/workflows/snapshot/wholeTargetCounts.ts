/**
 * The target's whole count of each tier-limited collection a scoped apply writes into: an `--only` apply reads its
 * scope of the target, which says nothing of how many APIs (products, tags…) the rest holds. One request per
 * collection (a page of one, whose `count` spans all pages), never a read of the collection.
 */
import type { ArmConfigClient } from '../../azure/snapshot/armConfigClient';
import { limitedCollections } from '../../domain/snapshot/tierLimits';

export async function wholeTargetCounts(client: ArmConfigClient, tier: string, paths: readonly string[]): Promise<Record<string, number> | undefined> {
  const limited = limitedCollections(tier);
  const touched = [...new Set(paths.map((p) => p.split('/')[0]!))].filter((c) => limited.includes(c.toLowerCase()));
  if (touched.length === 0) return undefined;
  const counts = await Promise.all(touched.map((c) => client.count(c)));
  return Object.fromEntries(touched.map((c, i) => [c.toLowerCase(), counts[i]!]));
}
