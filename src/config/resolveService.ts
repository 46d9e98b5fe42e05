/** Finds a configured instance by name or resource ID, and the effective settings for it. */
import { clip } from '../validation';
import { UserError } from '../errors';
import { parseServiceId, sameServiceId, type ServiceRef } from '../domain/resourceId';
import type { AccessConfig, Config, ServiceConfig } from './schema';

export interface ResolvedService {
  ref: ServiceRef;
  config: ServiceConfig;
  /** Undefined: backups are planned from the RPO alone. */
  schedule?: string;
  rpoMs: number;
  access: AccessConfig;
}

export function protectedServices(config: Config): ResolvedService[] {
  return config.services.map((service) => resolve(config, service));
}

/** `nameOrId`: a configured instance's name or its full resource ID. */
export function resolveService(config: Config, nameOrId: string, field = 'service'): ResolvedService {
  const index = indexOf(config);
  const key = nameOrId.toLowerCase();
  const found = (nameOrId.startsWith('/') ? index.byId.get(key) : undefined) ?? index.byName.get(key);
  if (!found) {
    throw new UserError(
      `${field} '${clip(nameOrId)}' is not a configured APIM instance; configured: ${someOf(config.services.map((s) => parseServiceId(s.id)?.name ?? s.id))}. Add it to 'services' in the config or use one of those`,
      'not-found',
      'ServiceNotConfigured',
    );
  }
  return resolve(config, found);
}

/** The configured instances by lower-case name and resource ID, built once per config: a fleet's every activity resolves one. */
const indexes = new WeakMap<Config, { byName: Map<string, ServiceConfig>; byId: Map<string, ServiceConfig> }>();

function indexOf(config: Config) {
  let index = indexes.get(config);
  if (!index) {
    index = { byName: new Map(), byId: new Map() };
    for (const service of config.services) {
      const name = parseServiceId(service.id)?.name.toLowerCase();
      if (name && !index.byName.has(name)) index.byName.set(name, service);
      if (!index.byId.has(service.id.toLowerCase())) index.byId.set(service.id.toLowerCase(), service);
    }
    indexes.set(config, index);
  }
  return index;
}

/** The first few of `names`, and how many more: an error names what is configured without echoing a whole fleet. */
function someOf(names: string[], shown = 10): string {
  const first = names.slice(0, shown).join(', ');
  return names.length > shown ? `${first} and ${names.length - shown} more` : first;
}

function resolve(config: Config, service: ServiceConfig): ResolvedService {
  return {
    ref: parseServiceId(service.id)!,
    config: service,
    schedule: service.schedule ?? config.defaults.schedule,
    rpoMs: service.rpo ?? config.defaults.rpo,
    access: service.access ?? config.defaults.access,
  };
}

export interface ResolvedInstance {
  ref: ServiceRef;
  /** Set when the instance is itself protected. */
  protected?: ResolvedService;
  /** Resource IDs of the protected instances that list this one as a standby. */
  standbyOf: string[];
  /** Resource IDs of the protected instances that drill into this one. */
  drillTargetOf: string[];
}

/** Why a restore from `sourceId` may replace the target's configuration, if it may. */
export type RestoreRelation = 'standby' | 'drill-target' | 'in-place' | 'none';

export function restoreRelation(sourceId: string, target: ResolvedInstance): RestoreRelation {
  if (sameServiceId(sourceId, target.ref.id)) return 'in-place';
  if (target.standbyOf.some((id) => sameServiceId(id, sourceId))) return 'standby';
  if (target.drillTargetOf.some((id) => sameServiceId(id, sourceId))) return 'drill-target';
  return 'none';
}

/** Any instance the config knows (protected, standby or drill target), or any APIM resource ID. */
export function resolveInstance(config: Config, nameOrId: string, field: string): ResolvedInstance {
  const matches = (id: string) => (nameOrId.startsWith('/') ? sameServiceId(id, nameOrId) : parseServiceId(id)?.name.toLowerCase() === nameOrId.toLowerCase());
  const protectedMatch = config.services.find((s) => matches(s.id));
  const standbyOf = config.services.filter((s) => s.standbys.some((b) => matches(b.id)));
  const drillTargetOf = config.services.filter((s) => s.drill && matches(s.drill.target));
  const standbyId = standbyOf[0]?.standbys.find((b) => matches(b.id))?.id;
  const id = protectedMatch?.id ?? standbyId ?? drillTargetOf[0]?.drill?.target ?? (nameOrId.startsWith('/') ? nameOrId : undefined);
  const ref = id ? parseServiceId(id) : undefined;
  if (!ref) {
    const known = config.services
      .flatMap((s) => [s.id, ...s.standbys.map((b) => b.id), ...(s.drill ? [s.drill.target] : [])])
      .map((i) => parseServiceId(i)?.name);
    throw new UserError(
      `${field} '${clip(nameOrId)}' is neither a configured instance (${[...new Set(known)].join(', ')}) nor an APIM resource ID`,
      'not-found',
      'ServiceNotConfigured',
    );
  }
  const ids = (list: ServiceConfig[]) => list.map((s) => parseServiceId(s.id)!.id);
  return { ref, protected: protectedMatch ? resolve(config, protectedMatch) : undefined, standbyOf: ids(standbyOf), drillTargetOf: ids(drillTargetOf) };
}
