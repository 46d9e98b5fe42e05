/**
 * What an apply is given beyond the snapshot: secrets the snapshot never held (a secret named value's value, named
 * by where to read it — an app setting or environment variable, or a file — never by the value itself, so it never
 * lands on a command line, in a request body, an orchestration's history or a log) and environment values to use on
 * the target instead of the source's (`--override backends/orders-backend.url=https://…`). Pure: parsing and rewriting.
 */
import { UserError } from '../../errors';
import type { NotCaptured, SnapshotResource } from '../../domain/snapshot/captureResource';
import { kindOf, typeOfPath } from '../../domain/snapshot/resourceTypes';

/** Where a secret's value is read, by the process that writes it: an app setting (or environment variable), or a file. */
export type SecretSource = { setting: string } | { file: string };
export interface SecretSupply {
  path: string;
  from: SecretSource;
}

export interface ValueOverride {
  path: string;
  /** A property of the resource, dotted for a nested one: `url`, `serviceUrl`, `credentials.header.x-host`. */
  field: string;
  value: string;
}

/**
 * `[workspaces/<w>/]namedValues/<name>=env:VAR` or `=file:PATH` (the CLI's `--set`). A literal value is refused: it
 * would be on a command line.
 */
export function parseSecretSupply(text: string): SecretSupply {
  const m = /^((?:workspaces\/[^/=]+\/)?namedValues\/[^/=]+)=(env|file):(.+)$/.exec(text);
  if (!m) {
    throw new UserError(
      `--set '${text.replace(/=.*/, '=…')}': expected namedValues/<name>=env:<VARIABLE> or namedValues/<name>=file:<path> (a secret's value never goes on a command line)`,
      'usage',
      'InvalidSecretSupply',
    );
  }
  return { path: m[1]!, from: m[2] === 'env' ? { setting: m[3]! } : { file: m[3]! } };
}

/** `<collection>/<name>[/<collection>/<name>].<field>=<value>` (the CLI's `--override`). */
export function parseOverride(text: string): ValueOverride {
  const m = /^([A-Za-z]+\/[^/.=]+(?:\/[A-Za-z]+\/[^/.=]+)*)\.([A-Za-z][\w.-]*)=(.*)$/.exec(text);
  if (!m || !m[3]) {
    throw new UserError(
      `--override '${text}': expected <type>/<name>.<field>=<value>, e.g. backends/orders-backend.url=https://orders.neu.example`,
      'usage',
      'InvalidOverride',
    );
  }
  return { path: m[1]!, field: m[2]!, value: m[3] };
}

/** The snapshot's resources with the overrides applied; an override of something the snapshot lacks is refused. */
export function withOverrides(resources: SnapshotResource[], overrides: readonly ValueOverride[]): SnapshotResource[] {
  if (overrides.length === 0) return resources;
  const byPath = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  const changed = new Map<string, Record<string, unknown>>();
  for (const o of overrides) {
    const resource = byPath.get(o.path.toLowerCase());
    if (!resource?.properties) {
      throw new UserError(
        `override of '${o.path}': the snapshot holds no such resource with properties ('apim-dr snapshot show' lists them)`,
        'usage',
        'OverrideNotInSnapshot',
      );
    }
    const properties = changed.get(resource.path) ?? structuredClone(resource.properties);
    changed.set(resource.path, properties);
    const keys = o.field.split('.');
    let at: Record<string, unknown> = properties;
    for (const key of keys.slice(0, -1)) {
      const next = at[key];
      at = (at[key] = next && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Record<string, unknown>;
    }
    at[keys.at(-1)!] = o.value;
  }
  return resources.map((r) => (changed.has(r.path) ? { ...r, properties: changed.get(r.path) } : r));
}

/**
 * The resources with the supplied secrets set (a named value's `value`), and what stays not captured. Only a secret the
 * snapshot lacks, on a named value it holds, can be supplied.
 */
export function withSecrets(
  resources: SnapshotResource[],
  notCaptured: NotCaptured[],
  secrets: ReadonlyMap<string, string>,
): { resources: SnapshotResource[]; notCaptured: NotCaptured[] } {
  if (secrets.size === 0) return { resources, notCaptured };
  const wanted = new Map([...secrets].map(([path, value]) => [path.toLowerCase(), value]));
  for (const path of wanted.keys()) {
    const known = resources.some((r) => r.path.toLowerCase() === path && kindOfPath(r.path) === 'namedValues');
    if (!known || !notCaptured.some((n) => n.path.toLowerCase() === path)) {
      throw new UserError(`--set '${path}': the snapshot holds no secret named value of that name left out at capture`, 'usage', 'SecretNotExpected');
    }
  }
  return {
    resources: resources.map((r) =>
      wanted.has(r.path.toLowerCase()) ? { ...r, properties: { ...r.properties, value: wanted.get(r.path.toLowerCase())! } } : r,
    ),
    notCaptured: notCaptured.filter((n) => !wanted.has(n.path.toLowerCase())),
  };
}

/** A workspace's named values are named values too. */
function kindOfPath(path: string): string | undefined {
  const type = typeOfPath(path);
  return type && kindOf(type);
}
