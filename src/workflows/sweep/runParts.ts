/** The schemas of what a sweep run keeps in storage (see SweepRunStore): each part is parsed before it is used. */
import { z } from 'zod';

export const sweepItemSchema = z.object({
  backupName: z.string(),
  service: z.string(),
  action: z.enum(['delete', 'archive', 'keep']),
  reason: z.enum(['restorable', 'newest-restorable', 'running', 'archived', 'delete-refused', 'expired', 'past-retention', 'failed', 'stale-running']),
  createdAt: z.string(),
  expiresAt: z.string(),
  markExpired: z.boolean(),
});

/** One page of a run's plan: the items a step acts on (`work-<n>`) or reports (`plan-<n>`). */
export const planPageSchema = z.object({ runId: z.string(), page: z.number().int().min(0), items: z.array(sweepItemSchema) });

export const protectionSchema = z.object({
  service: z.string(),
  newestRestorable: z.object({ backupName: z.string(), createdAt: z.string(), expiresAt: z.string() }).optional(),
  ageMs: z.number().optional(),
  expiresInMs: z.number().optional(),
  restorable: z.boolean(),
  rpoBreached: z.boolean(),
  renew: z.enum(['no-restorable-backup', 'older-than-rpo', 'expiring-soon']).optional(),
});
export const protectionPartSchema = z.object({ runId: z.string(), protection: z.array(protectionSchema) });

export const appliedPartSchema = z.object({
  deleted: z.array(z.string()),
  archived: z.array(z.string()),
  marked: z.array(z.string()),
  refused: z.array(z.object({ backupName: z.string(), code: z.string(), message: z.string() })),
  foreign: z.array(z.string()),
});

export const namesPartSchema = z.object({ names: z.array(z.string()) });
export const renewalsPartSchema = z.object({ started: z.array(z.string()), coalesced: z.array(z.string()) });

export const part = {
  work: (page: number) => `work-${String(page).padStart(5, '0')}`,
  plan: (page: number) => `plan-${String(page).padStart(5, '0')}`,
  applied: (page: number) => `applied-${String(page).padStart(5, '0')}`,
  protection: 'protection',
  records: 'records',
  approvals: 'approvals',
  logs: 'logs',
  renewals: 'renewals',
  staging: 'staging',
} as const;
