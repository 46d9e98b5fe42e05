/**
 * The tick's discovery step: on its own schedule (at start, then every `discovery.refresh`), ask Resource Graph for
 * the tagged instances, log and store what changed, and adopt the new list so this very tick backs up the newly found.
 * A failed refresh keeps the last good list (per subscription, when only some could not be read), says so in the
 * state blob the status reads, and opens one incident until a refresh reads everything again.
 */
import { GRAPH_PAGE_MAX, discoveryQuery, queryAllPages, READABLE_SUBSCRIPTIONS_QUERY } from '../../azure/resourceGraph';
import { instanceSeen } from '../../domain/incidentClosures';
import { isRefreshDue, mergeRefresh, parseGraphRow, type DiscoveredInstance, type DiscoveryState } from '../../domain/discovery';
import { ensureError } from '../../errors';
import type { Services } from '../../services';

/** After a failed refresh, the next try comes this much later rather than a full interval. */
export const DISCOVERY_RETRY_MS = 5 * 60_000;
/** Lost instances stay listed (as retired, for the sweep) this long after their backups' retention has run out. */
const KEEP_LOST_EXTRA_MS = 7 * 86_400_000;

export interface DiscoveryRefresh {
  found: number;
  newlyFound: string[];
  lost: string[];
  requests: number;
  failed?: string;
}

/** Returns undefined when discovery is off or not due. */
export async function refreshDiscovery(services: Services, correlationId: string): Promise<DiscoveryRefresh | undefined> {
  const { fleet } = services;
  const discovery = fleet.base.discovery;
  if (!discovery) return undefined;
  const now = services.clock.now();
  const previous = await fleet.store.read();
  if (fleet.refreshedSinceStart && !isRefreshDue(previous, now, discovery.refresh, DISCOVERY_RETRY_MS)) {
    fleet.adopt(previous);
    return undefined;
  }
  fleet.refreshedSinceStart = true;
  const at = now.toISOString();
  let requests = 0;
  let next: DiscoveryState;
  let result: DiscoveryRefresh;
  try {
    const client = services.resourceGraph();
    const listing = await queryAllPages(client, discovery, discoveryQuery(discovery.tag));
    requests += listing.requests;
    const found: DiscoveredInstance[] = [];
    for (const row of listing.rows) {
      const parsed = parseGraphRow(row, at);
      if (typeof parsed === 'string') services.logger.event('apim-dr.discovery.row-ignored', { problem: parsed, correlationId }, 'warn');
      else found.push(parsed);
    }
    let unread: string[] = [];
    if (discovery.subscriptions) {
      // Resource Graph leaves out subscriptions it cannot read; the one it does not list is a failure to see, not an empty one.
      const readable = await queryAllPages(client, discovery, READABLE_SUBSCRIPTIONS_QUERY);
      requests += readable.requests;
      const visible = new Set(readable.rows.map((r) => String((r as { subscriptionId?: unknown }).subscriptionId).toLowerCase()));
      unread = discovery.subscriptions.filter((s) => !visible.has(s.toLowerCase()));
    }
    const merged = mergeRefresh(previous, found, unread, now, fleet.base.defaults.retention + KEEP_LOST_EXTRA_MS);
    const failure = unread.length
      ? { at, message: `Resource Graph cannot read subscription(s) ${unread.join(', ')}: grant the app's identity Reader there`, subscriptions: unread }
      : undefined;
    next = {
      schemaVersion: 1,
      lastAttemptAt: at,
      lastSuccessAt: failure ? previous.lastSuccessAt : at,
      failure,
      instances: merged.instances,
      lost: merged.lost,
      lastRefresh: {
        at,
        newlyFound: merged.newlyFound.map((i) => i.name),
        lost: merged.newlyLost.map((l) => l.name),
        requests,
        pages: listing.pages,
      },
    };
    for (const instance of merged.newlyFound) {
      services.logger.event('apim-dr.discovery.found', {
        service: instance.name,
        id: instance.id,
        sku: instance.sku,
        location: instance.location,
        platform: instance.platform,
        correlationId,
      });
    }
    for (const lost of merged.newlyLost) {
      services.logger.event(
        'apim-dr.discovery.lost',
        { service: lost.name, id: lost.id, backups: 'kept until retention, then swept as retired', correlationId },
        'warn',
      );
    }
    result = { found: merged.instances.length, newlyFound: next.lastRefresh!.newlyFound, lost: next.lastRefresh!.lost, requests, failed: failure?.message };
  } catch (err) {
    const message = ensureError(err).message;
    next = { ...previous, lastAttemptAt: at, failure: { at, message, subscriptions: [] } };
    result = { found: previous.instances.length, newlyFound: [], lost: [], requests, failed: message };
  }
  await fleet.store.write(next);
  fleet.adopt(next);
  services.logger.event(
    result.failed ? 'apim-dr.discovery.failed' : 'apim-dr.discovery.refreshed',
    {
      found: result.found,
      newlyFound: result.newlyFound,
      lost: result.lost,
      requests: result.requests,
      pageSize: GRAPH_PAGE_MAX,
      ...(result.failed ? { error: result.failed, kept: 'the last good list' } : {}),
      correlationId,
    },
    result.failed ? 'warn' : 'info',
  );
  await services.notifier.observe([
    { kind: 'discovery.failed', subject: 'discovery', active: result.failed !== undefined, at, detail: result.failed },
    // Found by Resource Graph: the instance exists, whatever a deletion event said before.
    ...(result.failed ? [] : next.instances.map((i) => instanceSeen(i.name, at, 'tag discovery found it'))),
  ]);
  return result;
}
