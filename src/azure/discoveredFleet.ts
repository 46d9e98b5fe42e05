/**
 * The config of this process with the discovered instances merged in. The tick adopts each refresh at once; any other
 * function (on any worker) or CLI command syncs from the state blob first, at most once a minute.
 */
import type { Clock } from '../clock';
import type { Config } from '../config/schema';
import { withDiscovered } from '../config/withDiscovered';
import type { DiscoveryState } from '../domain/discovery';
import type { DiscoveryStore } from './discoveryStore';

/** How stale a worker's copy of the list may be before an invocation reads the blob again. */
export const FLEET_SYNC_MAX_AGE_MS = 60_000;

export class DiscoveredFleet {
  private merged: Config;
  private current?: DiscoveryState;
  private readAt = Number.NEGATIVE_INFINITY;
  /** The first tick of a process refreshes whatever the blob says: discovery runs at start. */
  refreshedSinceStart = false;

  constructor(
    readonly base: Config,
    readonly store: DiscoveryStore,
    private readonly clock: Clock,
  ) {
    this.merged = base;
  }

  get enabled(): boolean {
    return this.base.discovery !== undefined;
  }

  /** The effective config: `base` plus what discovery found. */
  get config(): Config {
    return this.merged;
  }

  get state(): DiscoveryState | undefined {
    return this.current;
  }

  adopt(state: DiscoveryState): void {
    this.readAt = this.clock.now().getTime();
    // Every refresh writes a new attempt time: the same one is the same list, and the merged config (with the
    // name indexes built on it) stays.
    if (this.current && state.lastAttemptAt !== undefined && state.lastAttemptAt === this.current.lastAttemptAt) return;
    this.current = state;
    this.merged = withDiscovered(this.base, state);
  }

  /** Reads the state blob when this copy is older than `maxAgeMs`; a no-op without discovery. */
  async sync(maxAgeMs = FLEET_SYNC_MAX_AGE_MS): Promise<void> {
    if (!this.enabled) return;
    const age = this.clock.now().getTime() - this.readAt;
    if (age >= 0 && age < maxAgeMs) return;
    this.adopt(await this.store.read());
  }
}
