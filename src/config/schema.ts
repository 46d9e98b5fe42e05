/** The apim-dr config: one zod schema, parsed once at the edge (docs/design.md §4). */
import { clip } from '../validation';
import { z } from 'zod';
import type { StorageAccess } from '../domain/storageAccess';
import { parseDuration } from '../domain/duration';
import { RESTORE_WINDOW_MS } from '../domain/expiry';
import { parseServiceId, sameServiceId, SERVICE_ID_EXAMPLE, SERVICE_NAME } from '../domain/resourceId';
import { validateSchedule } from '../domain/schedule';
import { snapshotDefaults, snapshotProtectionSchema } from './snapshotSchema';
import { standbySecretsSchema } from './standbySecretsSchema';
import { standbyOverridesSchema } from './standbyOverridesSchema';

const duration = (example: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `'${clip(text)}' is not a positive ISO 8601 duration; write e.g. '${example}'` });
      return z.NEVER;
    }
    return ms;
  });

const schedule = z.string().superRefine((text, ctx) => {
  const problem = validateSchedule(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const serviceId = z.string().superRefine((text, ctx) => {
  if (!parseServiceId(text)) {
    ctx.addIssue({ code: 'custom', message: `'${clip(text)}' is not an APIM service resource ID; write e.g. '${SERVICE_ID_EXAMPLE}'` });
  }
});

/** An endpoint URL without trailing slashes: Azure reports endpoints as `https://host/`, the SDK paths start with `/`. */
const endpoint = (message: string) => z.url({ message }).transform((url) => url.replace(/\/+$/, ''));

const settingName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.:-]*$/, 'must be the NAME of an app setting (letters, digits, _ . : -), not a value');

export const accessSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SystemAssignedManagedIdentity') }),
  z.strictObject({
    type: z.literal('UserAssignedManagedIdentity'),
    clientId: z.uuid({ message: 'must be the client ID (a GUID) of the user-assigned identity APIM uses for storage' }),
  }),
  z.strictObject({
    type: z.literal('AccessKey'),
    // The key itself never appears in config: only the name of the app setting that holds it.
    keySetting: settingName,
  }),
]);

/** `after-backup`, `manual`, or an NCRONTAB schedule on which the standby takes the newest backup. */
export const SYNC_MODES = ['after-backup', 'manual'] as const;

const syncMode = z.string().superRefine((text, ctx) => {
  if ((SYNC_MODES as readonly string[]).includes(text)) return;
  const problem = validateSchedule(text);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be 'after-backup', 'manual' or an NCRONTAB schedule: ${problem}` });
});

const standbySchema = z.strictObject({
  id: serviceId,
  sync: syncMode.default('manual'),
  // The app settings that supply the secrets a snapshot leaves out, when syncs keep this standby (snapshot syncs only).
  secrets: standbySecretsSchema.optional(),
  // The standby's own environment values (backend URLs, serviceUrls, resource IDs), written by syncs instead of the source's.
  overrides: standbyOverridesSchema.optional(),
});

/** A restore drill: on `schedule`, the newest backup goes into `target`, is verified, and its RTO recorded. */
const drillSchema = z.strictObject({
  schedule,
  target: serviceId,
});

const eventsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  quietPeriod: duration('PT5M').prefault('PT5M'),
  maxDelay: duration('PT30M').prefault('PT30M'),
});

const serviceSchema = z.strictObject({
  id: serviceId,
  schedule: schedule.optional(),
  rpo: duration('P1D').optional(),
  access: accessSchema.optional(),
  standbys: z.array(standbySchema).default([]),
  events: eventsSchema.optional(),
  drill: drillSchema.optional(),
  enabled: z.boolean().default(true),
  snapshots: snapshotProtectionSchema.optional(),
});

const containerName = z
  .string()
  .regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, 'must be a blob container name: 3-63 lowercase letters, digits and single hyphens');

const storageSchema = z.strictObject({
  account: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be a storage account name: 3-24 lowercase letters and digits'),
  container: containerName,
  // What apim-dr reads back and acts on (records, tokens, change logs, incidents), in the same account: only the app writes there.
  stateContainer: containerName.default('apim-dr-state'),
  endpoint: endpoint("must be the blob endpoint URL, e.g. 'https://myaccount.blob.core.windows.net'").optional(),
  // Azurite and development only: the NAME of an app setting holding a connection string.
  connectionStringSetting: settingName.optional(),
});

const webhookSchema = z.strictObject({
  // A Teams or Slack webhook URL carries its own secret: the config names the app setting that holds it.
  urlSetting: settingName,
  format: z.enum(['text', 'json']).default('text'),
});

const notificationsSchema = z.strictObject({
  webhooks: z.array(webhookSchema).default([]),
});

/**
 * Tag discovery: every APIM instance in these subscriptions (or under this management group) carrying the tag is
 * protected with the defaults. Names and values are restricted to characters that need no quoting in a Resource Graph query.
 */
const discoverySchema = z
  .strictObject({
    subscriptions: z
      .array(z.guid({ message: 'must be a subscription ID (a GUID)' }))
      .min(1, 'list at least one subscription ID, or use managementGroup')
      .optional(),
    managementGroup: z
      .string()
      .regex(/^[A-Za-z0-9_().-]{1,90}$/, 'must be a management group ID (up to 90 letters, digits, and - _ . ( ))')
      .optional(),
    tag: z.strictObject({
      name: z.string().regex(/^[A-Za-z0-9_.:-]{1,512}$/, "must be a tag name of letters, digits and _ . : - (e.g. 'apim-dr')"),
      value: z.string().regex(/^[A-Za-z0-9_.:@ -]{1,256}$/, "must be a tag value of letters, digits, spaces and _ . : @ - (e.g. 'protect')"),
    }),
    refresh: duration('PT1H')
      .prefault('PT1H')
      .refine((ms) => ms >= 5 * 60_000, {
        message: 'must be at least PT5M: Resource Graph throttles, and a refresh more often than the tick finds nothing new',
      }),
  })
  .superRefine((discovery, ctx) => {
    if ((discovery.subscriptions === undefined) === (discovery.managementGroup === undefined)) {
      ctx.addIssue({ code: 'custom', message: "give either 'subscriptions' (a list of subscription IDs) or 'managementGroup', not both and not neither" });
    }
  });

const defaultsSchema = z.strictObject({
  /** Optional: without a schedule anywhere, backups are planned from the RPO alone. */
  schedule: schedule.optional(),
  rpo: duration('P1D').prefault('P1D'),
  access: accessSchema.default({ type: 'SystemAssignedManagedIdentity' }),
  pollInterval: duration('PT1M').prefault('PT1M'),
  retryFailedAfter: duration('PT30M').prefault('PT30M'),
  concurrencyPerSubscription: z.int().min(1).max(200).default(20),
  // How many starts the schedule tick sends at once (each is a few Durable API calls), across the whole fleet.
  startConcurrency: z.int().min(1).max(256).default(32),
  // The 30-day restore window is APIM's; retention may end a backup's life earlier, never later.
  retention: duration('P30D')
    .prefault('P30D')
    .refine((ms) => ms <= RESTORE_WINDOW_MS, {
      message: 'must be at most P30D: an APIM backup cannot be restored after 30 days, so keeping it longer protects nothing',
    }),
  restoreMargin: duration('PT2H')
    .prefault('PT2H')
    .refine((ms) => ms < RESTORE_WINDOW_MS, {
      message: 'must be shorter than P30D: a backup is restorable for 30 days, so a larger margin refuses every backup',
    }),
  renewBefore: duration('P7D').prefault('P7D'),
  expiredAction: z.enum(['delete', 'archive']).default('delete'),
  // Restore records: the sweep keeps every one younger than this and the newest recordsKept per target.
  recordRetention: duration('P90D').prefault('P90D'),
  recordsKept: z.int().min(1).max(1000).default(20),
  ...snapshotDefaults,
});

export const configSchema = z
  .strictObject({
    storage: storageSchema,
    arm: z
      .strictObject({
        endpoint: endpoint("must be the ARM endpoint URL, e.g. 'https://management.azure.com'").default('https://management.azure.com'),
        caFile: z.string().min(1).optional(),
      })
      .prefault({}),
    auth: z.enum(['managed-identity', 'default', 'sandbox']).default('managed-identity'),
    identity: z.strictObject({ clientId: z.uuid().optional() }).prefault({}),
    defaults: defaultsSchema.prefault({}),
    notifications: notificationsSchema.prefault({}),
    // Irreversible changes to a protected instance wait for a second DR.Restore holder (docs/approvals.md).
    approvals: z
      .strictObject({
        inPlace: z.boolean().default(true),
        expiry: duration('PT1H').prefault('PT1H'),
      })
      .prefault({}),
    services: z.array(serviceSchema).default([]),
    discovery: discoverySchema.optional(),
    // Instances no longer configured whose backups the sweep may retire; any other unconfigured instance's are never touched.
    retired: z.array(z.string().regex(SERVICE_NAME, 'must be the name of an APIM instance (letters, digits, hyphens)')).default([]),
  })
  // Checked even when other fields are wrong, so one run names every problem: there must be something to protect.
  .check(
    z.refine((config) => !isEmptyArray(config.services) || (config as { discovery?: unknown }).discovery !== undefined, {
      path: ['services'],
      message: "list at least one APIM instance to protect, or add 'discovery' to find them by tag",
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    }),
  )
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.services.forEach((service, index) => {
      const name = parseServiceId(service.id)?.name.toLowerCase();
      if (!name) return;
      const first = seen.get(name);
      if (first !== undefined) {
        // Backup blobs are named after the service, so two instances with one name would share a catalog.
        ctx.addIssue({
          code: 'custom',
          path: ['services', index, 'id'],
          message: `service name '${name}' is already used by services[${first}]; each protected instance needs a unique name`,
        });
      } else seen.set(name, index);
      service.standbys.forEach((standby, s) => {
        if (sameServiceId(standby.id, service.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', index, 'standbys', s, 'id'],
            message:
              'a standby is another instance that a restore may replace; restoring an instance into itself is an in-place restore (allowInPlace), not a standby',
          });
        }
      });
      if (service.drill && sameServiceId(service.drill.target, service.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['services', index, 'drill', 'target'],
          message: 'a drill restores into another instance, never into the one it protects; name a spare instance of the same tier',
        });
      }
    });
    if (config.storage.stateContainer === config.storage.container) {
      ctx.addIssue({
        code: 'custom',
        path: ['storage', 'stateContainer'],
        message: `must differ from storage.container ('${config.storage.container}'): APIM's identities write backups there, and only the app may write apim-dr's state`,
      });
    }
    // ARM only takes bearer tokens over https; storage may be plain http only on loopback (Azurite).
    if (!config.arm.endpoint.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['arm', 'endpoint'],
        message: "must be an https:// URL: ARM accepts bearer tokens over https only (the sandbox's too)",
      });
    }
    const storageEndpoint = config.storage.endpoint;
    if (storageEndpoint && !storageEndpoint.startsWith('https://') && !(storageEndpoint.startsWith('http://') && isLoopback(storageEndpoint))) {
      ctx.addIssue({ code: 'custom', path: ['storage', 'endpoint'], message: 'must be an https:// URL (http:// only on loopback, for Azurite)' });
    }
    if (config.auth === 'sandbox') {
      // Without storage.endpoint the default is the public blob endpoint, which a dummy token must never reach.
      const endpoints = [config.arm.endpoint, storageEndpoint ?? `https://${config.storage.account}.blob.core.windows.net`];
      for (const endpoint of endpoints) {
        if (!isLoopback(endpoint)) {
          ctx.addIssue({
            code: 'custom',
            path: ['auth'],
            message: `'sandbox' issues a dummy token and is only allowed when every endpoint is on loopback, but '${endpoint}' is not; use 'managed-identity' or 'default'`,
          });
        }
      }
    }
  });

function isEmptyArray(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export type Config = z.output<typeof configSchema>;
export type ServiceConfig = Config['services'][number];
export type DiscoveryConfig = NonNullable<Config['discovery']>;
export type AccessConfig = StorageAccess;
// The schema must produce exactly the domain's type (a compile-time check both ways).
const accessMatchesDomain: [AccessConfig, z.output<typeof accessSchema>] extends [z.output<typeof accessSchema>, AccessConfig] ? true : never = true;
void accessMatchesDomain;
