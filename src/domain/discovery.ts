/**
 * Tag discovery, the pure part: what Resource Graph rows mean, what an instance's `apim-dr-*` tags ask for (each value
 * checked as strictly as the config), and how one refresh's list differs from the last good one.
 */
import { parseDuration } from './duration';
import { parseServiceId, sameServiceId, SERVICE_ID_EXAMPLE } from './resourceId';

/** Per-instance settings a team may set by tag; any other `apim-dr-` tag is a finding, as an unknown config key is an error. */
export const RPO_TAG = 'apim-dr-rpo';
export const STANDBY_TAG = 'apim-dr-standby';
const TAG_PREFIX = 'apim-dr-';

export interface DiscoveredInstance {
  id: string;
  name: string;
  subscriptionId: string;
  location: string;
  /** The pricing tier (`sku.name`). */
  sku: string;
  /** `properties.platformVersion` (stv1, stv2, stv2.1, mtv1, undetermined). */
  platform?: string;
  tags: Record<string, string>;
  /** When a refresh first found it carrying the tag. */
  foundAt: string;
}

export interface LostInstance {
  id: string;
  name: string;
  /** The refresh that no longer found it: the tag was removed, or the instance deleted. */
  lostAt: string;
}

export interface DiscoveryFailure {
  at: string;
  message: string;
  /** Subscriptions Resource Graph could not read: their instances stay as the last good list has them. */
  subscriptions: string[];
}

export interface DiscoveryState {
  schemaVersion: 1;
  lastAttemptAt?: string;
  /** The last refresh that read every subscription. */
  lastSuccessAt?: string;
  /** Set while the newest attempt failed, wholly or for some subscriptions. */
  failure?: DiscoveryFailure;
  instances: DiscoveredInstance[];
  /** Instances no longer found: not backed up, their backups kept until retention and then swept as retired. */
  lost: LostInstance[];
  /** What the newest refresh found new, and lost (names), and what it cost. */
  lastRefresh?: { at: string; newlyFound: string[]; lost: string[]; requests: number; pages: number };
}

export const EMPTY_DISCOVERY: DiscoveryState = { schemaVersion: 1, instances: [], lost: [] };

/** A Resource Graph row as the discovery query projects it; anything else is reported, never trusted. */
export function parseGraphRow(row: unknown, foundAt: string): DiscoveredInstance | string {
  if (typeof row !== 'object' || row === null) return 'a row that is not an object';
  const r = row as Record<string, unknown>;
  const ref = typeof r.id === 'string' ? parseServiceId(r.id) : undefined;
  if (!ref) return `a row whose id is not an APIM resource ID (${JSON.stringify(r.id)})`;
  const tags: Record<string, string> = {};
  if (typeof r.tags === 'object' && r.tags !== null) {
    for (const [name, value] of Object.entries(r.tags)) if (typeof value === 'string') tags[name] = value;
  }
  return {
    id: ref.id,
    name: ref.name,
    subscriptionId: ref.subscriptionId,
    location: typeof r.location === 'string' ? r.location : '',
    sku: typeof r.sku === 'string' ? r.sku : '',
    platform: typeof r.platform === 'string' && r.platform ? r.platform : undefined,
    tags,
    foundAt,
  };
}

export interface TagSettings {
  rpoMs?: number;
  standbyId?: string;
  /** One line per bad tag: which tag, what is wrong with its value, and the fix. The instance stays protected with the defaults. */
  findings: string[];
}

/** Reads the `apim-dr-*` tags of an instance. Tag names are case-insensitive in Azure; values are not. */
export function settingsFromTags(instance: Pick<DiscoveredInstance, 'id' | 'tags'>, discoveryTag: string): TagSettings {
  const settings: TagSettings = { findings: [] };
  for (const [name, value] of Object.entries(instance.tags)) {
    const key = name.toLowerCase();
    if (key === RPO_TAG) {
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0)
        settings.findings.push(
          `tag ${RPO_TAG}: '${clipTag(value)}' is not a positive ISO 8601 duration; write e.g. 'PT4H' (the defaults' RPO applies meanwhile)`,
        );
      else settings.rpoMs = ms;
    } else if (key === STANDBY_TAG) {
      const ref = parseServiceId(value);
      if (!ref) settings.findings.push(`tag ${STANDBY_TAG}: '${clipTag(value)}' is not an APIM service resource ID; write e.g. '${SERVICE_ID_EXAMPLE}'`);
      else if (sameServiceId(ref.id, instance.id))
        settings.findings.push(`tag ${STANDBY_TAG}: names the instance itself; a standby is another instance of the same tier in another region`);
      else settings.standbyId = ref.id;
    } else if (key.startsWith(TAG_PREFIX) && key !== discoveryTag.toLowerCase()) {
      settings.findings.push(`tag ${name}: apim-dr knows no such tag; use ${RPO_TAG} or ${STANDBY_TAG}, or rename it`);
    }
  }
  return settings;
}

function clipTag(value: string): string {
  return value.length <= 100 ? value : `${value.slice(0, 100)}… (${value.length} characters)`;
}

/**
 * The list after a refresh. `found`: what Resource Graph returned now. `unread`: subscriptions it could not read, whose
 * instances stay as the last good list has them (never lost for a failure to look). Lost entries are kept for
 * `keepLostMs` so the sweep retires their backups, and dropped if the instance is found again.
 */
export function mergeRefresh(
  previous: DiscoveryState,
  found: readonly DiscoveredInstance[],
  unread: readonly string[],
  now: Date,
  keepLostMs: number,
): { instances: DiscoveredInstance[]; lost: LostInstance[]; newlyFound: DiscoveredInstance[]; newlyLost: LostInstance[] } {
  const at = now.toISOString();
  const before = new Map(previous.instances.map((i) => [i.id.toLowerCase(), i]));
  const unreadSet = new Set(unread.map((s) => s.toLowerCase()));
  const instances: DiscoveredInstance[] = [];
  const newlyFound: DiscoveredInstance[] = [];
  const seen = new Set<string>();
  for (const instance of found) {
    const key = instance.id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const known = before.get(key);
    if (known) instances.push({ ...instance, foundAt: known.foundAt });
    else {
      const fresh = { ...instance, foundAt: at };
      instances.push(fresh);
      newlyFound.push(fresh);
    }
  }
  const newlyLost: LostInstance[] = [];
  for (const [key, instance] of before) {
    if (seen.has(key)) continue;
    if (unreadSet.has(instance.subscriptionId.toLowerCase())) instances.push(instance);
    else newlyLost.push({ id: instance.id, name: instance.name, lostAt: at });
  }
  const lost = [...previous.lost.filter((l) => !seen.has(l.id.toLowerCase()) && now.getTime() - Date.parse(l.lostAt) < keepLostMs), ...newlyLost];
  instances.sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  return { instances, lost, newlyFound, newlyLost };
}

/** Whether the tick should ask Resource Graph now: at start, on the refresh interval, and sooner after a failure. */
export function isRefreshDue(state: DiscoveryState, now: Date, refreshMs: number, retryMs: number): boolean {
  if (!state.lastAttemptAt) return true;
  const since = now.getTime() - Date.parse(state.lastAttemptAt);
  return since >= (state.failure ? Math.min(retryMs, refreshMs) : refreshMs) || since < 0;
}
