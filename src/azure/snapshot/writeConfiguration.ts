/** Writes a planned apply to the target: waves in order, each wave's PUTs at once (bounded by the client), then deletes. */
import { makeReferencesAbsolute, REDACTED, type SnapshotResource } from '../../domain/snapshot/captureResource';
import type { PlannedWrite } from '../../domain/snapshot/applyPlan';
import { resourceAt, revisionBody } from '../../domain/snapshot/apiRevisions';
import { typeOfPath, workspaceOf } from '../../domain/snapshot/resourceTypes';
import { ensureError } from '../../errors';
import { ArmConfigError, type ArmConfigClient } from './armConfigClient';

export interface WriteOutcome {
  written: string[];
  deleted: string[];
  failed: { path: string; code: string; message: string }[];
}

/** How often a write is tried again when the API is still being created (409) or changed meanwhile (412). */
const CONFLICT_RETRIES = 4;

export async function writeConfiguration(
  client: ArmConfigClient,
  resources: SnapshotResource[],
  writes: PlannedWrite[],
  options: { targetClientIds?: string[]; sleep?: (ms: number) => Promise<void> } = {},
): Promise<WriteOutcome> {
  const byPath = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  const outcome: WriteOutcome = { written: [], deleted: [], failed: [] };
  const puts = writes.filter((w) => w.op !== 'delete');
  const waves = [...new Set(puts.map((w) => w.wave))].sort((a, b) => a - b);
  for (const wave of waves) {
    await Promise.all(
      puts
        .filter((w) => w.wave === wave)
        .map(async (w) => {
          const resource = resourceAt(byPath, w.path)!;
          const body = requestBody(resource, client.service.id, options.targetClientIds, w.op);
          await attempt(outcome, w.path, () => client.put(w.path, body), options.sleep);
          if (!outcome.failed.some((f) => f.path === w.path)) outcome.written.push(w.path);
        }),
    );
  }
  for (const w of writes.filter((x) => x.op === 'delete')) {
    await attempt(outcome, w.path, () => client.delete(w.path), options.sleep);
    if (!outcome.failed.some((f) => f.path === w.path)) outcome.deleted.push(w.path);
  }
  return outcome;
}

async function attempt(outcome: WriteOutcome, path: string, write: () => Promise<void>, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  for (let n = 0; ; n++) {
    try {
      await write();
      return;
    } catch (err) {
      const retriable = err instanceof ArmConfigError && (err.status === 409 || err.status === 412);
      if (retriable && n < CONFLICT_RETRIES) {
        await sleep(500 * 2 ** n);
        continue;
      }
      const e = ensureError(err);
      outcome.failed.push({ path, code: err instanceof ArmConfigError ? err.code : e.name, message: e.message });
      return;
    }
  }
}

/** The PUT body: no body for links; otherwise the properties with redacted credentials left out and references made the target's. */
export function requestBody(resource: SnapshotResource, targetId: string, targetClientIds?: string[], op: PlannedWrite['op'] = 'change'): unknown {
  if (typeOfPath(resource.path)?.linkTo || !resource.properties) return undefined;
  const properties = revisionBody(resource.path, makeReferencesAbsolute(withoutRedacted(resource.properties), targetId), targetId, op === 'create');
  const keyVault = properties.keyVault as { identityClientId?: string | null } | undefined;
  // A workspace has no managed identity of its own to rewrite to (the dry run says so).
  const inWorkspace = !!workspaceOf(resource.path);
  if (keyVault && targetClientIds && keyVault.identityClientId && !inWorkspace && !targetClientIds.includes(keyVault.identityClientId)) {
    // The source's user-assigned identity is not the target's: use the target's own (system-assigned when it has none).
    keyVault.identityClientId = targetClientIds[0] ?? null;
  }
  return { properties };
}

/** Drops every value apim-dr redacted (backend and logger credentials): they are supplied on the target, never written as the marker. */
export function withoutRedacted(properties: Record<string, unknown>): Record<string, unknown> {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.filter((v) => v !== REDACTED).map(strip);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v === REDACTED) continue;
        const stripped = strip(v);
        if (Array.isArray(stripped) && stripped.length === 0 && Array.isArray(v) && v.length > 0) continue;
        out[k] = stripped;
      }
      return out;
    }
    return value;
  };
  return strip(properties) as Record<string, unknown>;
}
