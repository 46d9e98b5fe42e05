/**
 * What a dry run must say about workspaces beyond the tier (applyPlan.ts): names a workspace shares with the service
 * and every other workspace, and Key Vault named values in a workspace, which has no managed identity to read them
 * (facts/config-snapshot.md §3, §5). Pure.
 */
import type { Finding } from './applyPlan';
import type { SnapshotResource } from './captureResource';
import { kindOf, typeOfPath, workspaceOf } from './resourceTypes';

/** Kinds whose names are unique across the service and all its workspaces (the sandbox refuses a second one too). */
export const UNIQUE_ACROSS_WORKSPACES = ['apis', 'products', 'namedvalues', 'backends', 'policyfragments', 'tags', 'apiversionsets'];

/** `workspaces/w/apis/orders` → `apis/orders`: the kind and name that must be unique, or undefined for other kinds. */
export function uniqueName(key: string): string | undefined {
  const type = typeOfPath(key);
  if (!type) return undefined;
  const kind = kindOf(type).toLowerCase();
  return UNIQUE_ACROSS_WORKSPACES.includes(kind) ? `${kind}/${key.split('/').pop()!.toLowerCase()}` : undefined;
}

export function workspaceFindings(
  byPath: Map<string, SnapshotResource>,
  current: Map<string, SnapshotResource>,
  selected: Set<string>,
  skipped: Map<string, string>,
  skip: (key: string, code: string) => unknown,
): Finding[] {
  const findings: Finding[] = [];
  // Who holds each unique name on the target now (the service or a workspace).
  const holders = new Map<string, string>();
  for (const [key, resource] of current) {
    const name = uniqueName(key);
    if (name) holders.set(name, resource.path);
  }
  for (const key of selected) {
    if (skipped.has(key)) continue;
    const resource = byPath.get(key)!;
    const name = uniqueName(key);
    const holder = name ? holders.get(name) : undefined;
    if (holder && holder.toLowerCase() !== key) {
      skip(key, 'NameTaken');
      findings.push({
        severity: 'partial',
        code: 'NameTaken',
        resource: resource.path,
        message: `${resource.path}: the target's ${holder} has that name, and names are unique across the service and its workspaces`,
        fix: `rename or delete ${holder} on the target (or leave ${resource.path} out with --only), then apply again`,
      });
    }
    const type = typeOfPath(key);
    if (type && kindOf(type) === 'namedValues' && workspaceOf(key) && resource.properties?.keyVault) {
      findings.push({
        severity: 'partial',
        code: 'WorkspaceKeyVault',
        resource: resource.path,
        message: `${resource.path} is a Key Vault reference, and a workspace has no managed identity to read it`,
        fix: 'keep the secret in a service-level named value, or make it a secret named value of the workspace supplied at apply (--set)',
      });
    }
  }
  return findings;
}
