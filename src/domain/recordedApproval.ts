/** What a restore or migration record keeps of its request's approval: who approved, or who ran it on break-glass. */
import { z } from 'zod';

export const recordedApprovalSchema = z.object({
  /** The approval record (`approvals/…`) of the request. */
  requestRecord: z.string(),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  /** The break-glass CLI: the operator's Azure identity; no second approval was asked. */
  breakGlassOperator: z.string().optional(),
});

export type RecordedApproval = z.output<typeof recordedApprovalSchema>;
