/**
 * The config as every part of apim-dr sees it: the configured `services` plus the instances discovery found by tag,
 * each protected with the defaults and its own `apim-dr-*` tags. A configured instance wins over the same one found
 * by tag. Instances no longer found join `retired`, so the sweep retires their backups after retention.
 */
import { parseServiceId } from '../domain/resourceId';
import { settingsFromTags, type DiscoveredInstance, type DiscoveryState } from '../domain/discovery';
import type { Config, ServiceConfig } from './schema';

export type ProtectionOrigin = 'config' | 'tag';

export interface DiscoveredView {
  state: DiscoveryState;
  /** Lower-case resource ID → the discovered instance, for the instances protected because of their tag. */
  byId: Map<string, DiscoveredInstance>;
  /** Lower-case name → problems with the instance's tags (it is protected with the defaults meanwhile). */
  findings: Map<string, string[]>;
  /** Found by tag but not protected by it: listed in `services` already, or its name is taken by another instance. */
  skipped: { name: string; id: string; reason: string }[];
}

const views = new WeakMap<Config, DiscoveredView>();

/** The merged config; `base` itself when discovery is off or has never run. */
export function withDiscovered(base: Config, state: DiscoveryState | undefined): Config {
  if (!base.discovery || !state) return base;
  const configuredIds = new Set(base.services.map((s) => s.id.toLowerCase()));
  const names = new Map(base.services.map((s) => [parseServiceId(s.id)?.name.toLowerCase(), s.id]));
  const view: DiscoveredView = { state, byId: new Map(), findings: new Map(), skipped: [] };
  const discovered: ServiceConfig[] = [];
  for (const instance of state.instances) {
    if (configuredIds.has(instance.id.toLowerCase())) {
      view.skipped.push({ name: instance.name, id: instance.id, reason: "listed in 'services': the config's settings apply" });
      continue;
    }
    const key = instance.name.toLowerCase();
    const holder = names.get(key);
    if (holder) {
      // Backups are named after the instance, so two instances of one name would share a catalog.
      view.skipped.push({
        name: instance.name,
        id: instance.id,
        reason: `not protected: the name is already used by ${holder}; rename one, or list this one in 'services' instead of the other`,
      });
      continue;
    }
    names.set(key, instance.id);
    const settings = settingsFromTags(instance, base.discovery.tag.name);
    if (settings.findings.length) view.findings.set(key, settings.findings);
    view.byId.set(instance.id.toLowerCase(), instance);
    discovered.push({
      id: instance.id,
      rpo: settings.rpoMs,
      standbys: settings.standbyId ? [{ id: settings.standbyId, sync: 'manual' }] : [],
      enabled: true,
    });
  }
  const protectedNames = new Set(names.keys());
  const retired = [...base.retired, ...state.lost.map((l) => l.name).filter((n) => !protectedNames.has(n.toLowerCase()))];
  const merged: Config = { ...base, services: [...base.services, ...discovered], retired: [...new Set(retired)] };
  views.set(merged, view);
  return merged;
}

/** What discovery contributed to this config, if anything. */
export function discoveredIn(config: Config): DiscoveredView | undefined {
  return views.get(config);
}

export function originOf(config: Config, id: string): ProtectionOrigin {
  return discoveredIn(config)?.byId.has(id.toLowerCase()) ? 'tag' : 'config';
}
