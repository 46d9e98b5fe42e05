/**
 * Where apim-dr keeps what it reads back and acts on, in the state container only the app's identity writes
 * (`storage.stateContainer`): one map, so that no other module spells a state path. Backups and their manifests
 * stay in the backup container, where APIM's identities write; nothing read there is an instruction.
 */

/** Folders of timed records (`<folder>/<subject>.<time>.<ms><id>.json`): restores, migrations. */
export const RESTORES_FOLDER = 'restores';
export const MIGRATIONS_FOLDER = 'migrations';
/** Restore and migration requests as the edge recorded them, with their approvals (`<folder>/<operation>.<time>.<ms><id>.json`). */
export const APPROVALS_FOLDER = 'approvals';

/**
 * The catalog index: what the tick, the status and the dashboard need of the catalog, kept current as operations
 * start and finish. One blob per instance (lower-case name), so that backups finishing together on different
 * instances never contend for one blob; and one marker saying when the whole index was last rebuilt from the catalog.
 */
export const CATALOG_INDEX_SHARDS_PREFIX = 'state/catalog-index/instances/';
export const catalogIndexShard = (service: string): string => `${CATALOG_INDEX_SHARDS_PREFIX}${service.toLowerCase()}.json`;
export const CATALOG_INDEX_BUILT_BLOB = 'state/catalog-index/built.json';
/** The whole-catalog index of earlier versions, replaced by the blobs above: never read; the sweep removes it once. */
export const LEGACY_CATALOG_INDEX_BLOB = 'state/catalog-index.json';

/** The last good tag-discovery list and what the newest refresh saw. */
export const DISCOVERY_BLOB = 'state/discovery.json';

/** What each sweep run planned and did: `sweeps/<run>/<part>.json`. */
export const SWEEP_RUNS_PREFIX = 'sweeps/';

/** Pending configuration changes, one blob per instance (lower-case name). */
export const CHANGES_PREFIX = 'events/';
export const changesBlob = (service: string): string => `${CHANGES_PREFIX}${service.toLowerCase()}.json`;

/** The book of open incidents. */
export const INCIDENTS_BLOB = 'notifications/incidents.json';

/** What the schedule tick last learned about ARM, per subscription. */
export const ARM_HEALTH_BLOB = 'state/arm-health.json';

/**
 * apim-dr's own copy of every manifest it writes: the one it reads and acts on. The copy next to the backup, in the
 * backup container, is for people and other tools; APIM's identities can write there, so it is never read back.
 */
export const MANIFESTS_PREFIX = 'manifests/';
export const manifestCopy = (manifestBlobName: string): string => `${MANIFESTS_PREFIX}${manifestBlobName}`;

/**
 * Each operation's events (a backup's, restore's or migration's, whichever process ran it: the app or the CLI), one
 * blob each under the operation's correlation ID: `logs/<correlationId>/<yyyyMMddTHHmmss.SSSZ>.<id>.json`.
 */
export const OPERATION_LOGS_PREFIX = 'logs/';
export const operationLogPrefix = (correlationId: string): string => `${OPERATION_LOGS_PREFIX}${correlationId}/`;

/**
 * What a snapshot taken in parts and an apply in steps keep between their activities, one folder per run
 * (`<folder>/<run>/…`): the finish clears it; the daily sweep removes what a dead run left (sweepStaging.ts).
 */
export const SNAPSHOT_STAGING_PREFIX = 'snapshot-staging/';
export const APPLY_STAGING_PREFIX = 'apply-staging/';
export const STAGING_PREFIXES = [SNAPSHOT_STAGING_PREFIX, APPLY_STAGING_PREFIX] as const;
