/** What tag discovery adds to the status: how each instance came to be protected, what changed, and whether discovery works. */
import { discoveredIn, originOf, type ProtectionOrigin } from '../../config/withDiscovered';
import type { Config } from '../../config/schema';
import type { Services } from '../../services';

export interface DiscoveryStatus {
  tag: { name: string; value: string };
  scope: string;
  /** When the newest refresh ran, and the newest one that read every subscription. */
  lastRefreshAt?: string;
  lastSuccessAt?: string;
  /** Set while the newest refresh failed: the last good list stays protected meanwhile. */
  failure?: { at: string; message: string; subscriptions: string[] };
  /** Instances protected because of their tag. */
  found: number;
  /** Found by the newest refresh. */
  newlyFound: string[];
  /** No longer tagged (or deleted): not backed up any more, their backups kept until retention, then swept as retired. */
  noLongerTagged: { service: string; id: string; lostAt: string }[];
  /** Tagged, but protected by the config (or not at all), and why. */
  skipped: { service: string; id: string; reason: string }[];
  /** Resource Graph requests the newest refresh made. */
  requests?: number;
}

export interface InstanceDiscovery {
  origin: ProtectionOrigin;
  /** For an instance found by tag: when, and whether by the newest refresh. */
  foundAt?: string;
  newlyFound?: boolean;
  /** Problems with its `apim-dr-*` tags; it is protected with the defaults meanwhile. */
  findings?: string[];
}

export function discoveryStatus(services: Services): DiscoveryStatus | undefined {
  const discovery = services.fleet.base.discovery;
  if (!discovery) return undefined;
  const state = services.fleet.state;
  const view = discoveredIn(services.config);
  return {
    tag: discovery.tag,
    scope: discovery.subscriptions ? `${discovery.subscriptions.length} subscription(s)` : `management group ${discovery.managementGroup}`,
    lastRefreshAt: state?.lastAttemptAt,
    lastSuccessAt: state?.lastSuccessAt,
    failure: state?.failure,
    found: view?.byId.size ?? 0,
    // Found new and protected by the tag (an instance the config lists was protected before).
    newlyFound: [...(view?.byId.values() ?? [])].filter((i) => state?.lastRefresh?.newlyFound.includes(i.name)).map((i) => i.name),
    noLongerTagged: (state?.lost ?? []).map((l) => ({ service: l.name, id: l.id, lostAt: l.lostAt })),
    skipped: (view?.skipped ?? []).map((s) => ({ service: s.name, id: s.id, reason: s.reason })),
    requests: state?.lastRefresh?.requests,
  };
}

export function instanceDiscovery(config: Config, id: string): InstanceDiscovery {
  const origin = originOf(config, id);
  if (origin === 'config') return { origin };
  const view = discoveredIn(config)!;
  const instance = view.byId.get(id.toLowerCase())!;
  const findings = view.findings.get(instance.name.toLowerCase());
  return {
    origin,
    foundAt: instance.foundAt,
    newlyFound: view.state.lastRefresh?.newlyFound.includes(instance.name) ?? false,
    ...(findings ? { findings } : {}),
  };
}
