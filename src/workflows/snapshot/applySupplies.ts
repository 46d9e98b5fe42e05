/**
 * What an apply is given beyond the snapshot: secrets the snapshot never held (a secret named value's value, a
 * backend's credential, an identity provider's client secret, a certificate's PFX…, named by where to read it — an app setting or environment variable, or a file — never by the value itself, so it never
 * lands on a command line, in a request body, an orchestration's history or a log) and environment values to use on
 * the target instead of the source's (`--override backends/orders-backend.url=https://…`). Pure: parsing and rewriting.
 */
import { UserError } from '../../errors';
import type { NotCaptured, SnapshotResource } from '../../domain/snapshot/captureResource';
import { kindOfPath } from '../../domain/snapshot/resourceTypes';
import { fieldsOf, isSuppliable, secretPath, setDottedField, setSecretField } from '../../domain/snapshot/secretFields';
import { parseOverrideTarget, type ValueOverride } from '../../domain/snapshot/valueOverrides';

/** Where a secret's value is read, by the process that writes it: an app setting (or environment variable), or a file. */
export type SecretSource = { setting: string } | { file: string };
export interface SecretSupply {
  path: string;
  from: SecretSource;
}

export type { ValueOverride };

/**
 * `<secret>=env:VAR` or `=file:PATH` (the CLI's `--set`), where `<secret>` names one secret the snapshot left out:
 * `[workspaces/<w>/]namedValues/<name>`, or `<type>/<name>.<field>` as `apim-dr snapshot show` lists it. Checked against the snapshot
 * by withSecrets. A literal value is refused: it would be on a command line.
 */
export function parseSecretSupply(text: string): SecretSupply {
  const m = /^([A-Za-z]+\/[^=]+)=(env|file):(.+)$/.exec(text);
  if (!m) {
    throw new UserError(
      `--set '${text.replace(/=.*/, '=…')}': expected <secret>=env:<VARIABLE> or <secret>=file:<path>, where <secret> is namedValues/<name> or <type>/<name>.<field> as 'apim-dr snapshot show' lists what was not captured (a secret's value never goes on a command line)`,
      'usage',
      'InvalidSecretSupply',
    );
  }
  return { path: m[1]!, from: m[2] === 'env' ? { setting: m[3]! } : { file: m[3]! } };
}

/** `<collection>/<name>[/<collection>/<name>].<field>=<value>` (the CLI's `--override`). */
export function parseOverride(text: string): ValueOverride {
  const equals = text.indexOf('=');
  const target = equals > 0 ? parseOverrideTarget(text.slice(0, equals)) : undefined;
  const value = text.slice(equals + 1);
  if (!target || !value) {
    throw new UserError(
      `--override '${text}': expected <type>/<name>.<field>=<value>, e.g. backends/orders-backend.url=https://orders.neu.example`,
      'usage',
      'InvalidOverride',
    );
  }
  return { ...target, value };
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
    setDottedField(properties, o.field, o.value);
  }
  return resources.map((r) => (changed.has(r.path) ? { ...r, properties: changed.get(r.path) } : r));
}

/** One supplied secret, resolved against the snapshot: the resource and the left-out field it fills. */
export interface ResolvedSupply {
  supply: string;
  path: string;
  field: string;
}

/**
 * Each supply named as exactly one secret the snapshot left out, and apim-dr can write; anything else is refused
 * naming the field, the problem and the fix.
 */
export function resolveSupplies(supplies: readonly string[], notCaptured: readonly NotCaptured[]): ResolvedSupply[] {
  const known = notCaptured.flatMap((n) => fieldsOf(n).map((field) => ({ path: n.path, field, key: secretPath(n.path, field).toLowerCase() })));
  return supplies.map((supply) => {
    const lower = supply.toLowerCase();
    const found = known.find((k) => k.key === lower);
    if (!found) {
      const ofResource = known.filter((k) => lower.startsWith(`${k.path.toLowerCase()}.`) || lower === k.path.toLowerCase());
      const offer = (ofResource.length ? ofResource : known).filter((k) => isSuppliable(k.path, k.field)).map((k) => secretPath(k.path, k.field));
      const left = ofResource.length ? ` (of ${ofResource[0]!.path} it left out ${ofResource.map((k) => k.field).join(', ')})` : '';
      const names = offer.length ? `: ${offer.slice(0, 10).join(', ')}${offer.length > 10 ? ', …' : ''}` : '';
      throw new UserError(
        `--set '${supply}': the snapshot left out no secret of that name${left}; name one it lists${names} ('apim-dr snapshot show <snapshot>' lists what was not captured)`,
        'usage',
        'SecretNotExpected',
      );
    }
    if (!isSuppliable(found.path, found.field)) {
      throw new UserError(
        `--set '${supply}': '${found.field}' is a literal secret in a policy, redacted at capture; no field of the policy holds it alone, so it cannot be supplied at apply: reference a named value ({{name}}) in the source's policy, take a new snapshot, and supply that named value`,
        'usage',
        'SecretNotSuppliable',
      );
    }
    return { supply, path: found.path, field: found.field };
  });
}

/**
 * The resources with the supplied secrets set, and what stays not captured. Only a secret the snapshot lacks, on a
 * resource it holds, can be supplied (a certificate an older snapshot left out whole is written from what is given).
 */
export function withSecrets(
  resources: SnapshotResource[],
  notCaptured: NotCaptured[],
  secrets: ReadonlyMap<string, string>,
): { resources: SnapshotResource[]; notCaptured: NotCaptured[] } {
  if (secrets.size === 0) return { resources, notCaptured };
  const resolved = resolveSupplies([...secrets.keys()], notCaptured);
  const byPath = new Map(resources.map((r) => [r.path.toLowerCase(), r]));
  const written = new Map<string, SnapshotResource>();
  for (const { supply, path, field } of resolved) {
    const key = path.toLowerCase();
    const resource = written.get(key) ?? byPath.get(key) ?? (kindOfPath(path) === 'certificates' ? { path, properties: {} } : undefined);
    if (!resource) throw new UserError(`--set '${supply}': the snapshot holds no resource '${path}' to write it to`, 'usage', 'SecretNotExpected');
    written.set(key, { ...resource, properties: setSecretField(resource.properties ?? {}, field, secrets.get(supply)!) });
  }
  const filled = new Set(resolved.map((r) => secretPath(r.path, r.field).toLowerCase()));
  const added = [...written.values()].filter((w) => !byPath.has(w.path.toLowerCase()));
  for (const certificate of added) {
    if (typeof certificate.properties?.data !== 'string')
      throw new UserError(
        `--set '${certificate.path}.password': the certificate is written from its PFX: supply --set ${certificate.path}.data=file:<pfx> as well`,
        'usage',
        'SecretIncomplete',
      );
  }
  return {
    resources: [...resources.map((r) => written.get(r.path.toLowerCase()) ?? r), ...added],
    // What is supplied is no longer left out; an entry of several fields keeps those not given.
    notCaptured: notCaptured.flatMap((n) => {
      const left = fieldsOf(n).filter((f) => !filled.has(secretPath(n.path, f).toLowerCase()));
      return left.length === 0 ? [] : [{ ...n, what: left.join(', ') }];
    }),
  };
}
