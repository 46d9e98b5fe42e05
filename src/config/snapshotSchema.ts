/** The snapshot parts of the config: per-service protection and the defaults for keeping snapshots. */
import { z } from 'zod';
import { parseDuration } from '../domain/duration';
import { validateSchedule } from '../domain/schedule';

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `'${text.slice(0, 40)}' is not a positive ISO 8601 duration; write e.g. 'P90D'` });
    return z.NEVER;
  }
  return ms;
});

/** `services[].snapshots`: take configuration snapshots on a schedule, from the RPO, and after changes. */
export const snapshotProtectionSchema = z.strictObject({
  schedule: z
    .string()
    .superRefine((text, ctx) => {
      const problem = validateSchedule(text);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  afterChange: z.boolean().default(false),
});

/** `defaults.snapshotRetention` and `defaults.snapshotsKept`: snapshots do not expire with APIM's 30 days. */
export const snapshotDefaults = {
  snapshotRetention: duration.prefault('P90D'),
  snapshotsKept: z.int().min(1).max(1000).default(10),
};
