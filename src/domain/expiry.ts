/** The 30-day restore window of an APIM backup: a fact of the platform, not a setting. */

export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export function expiresAt(createdAt: Date): Date {
  return new Date(createdAt.getTime() + RESTORE_WINDOW_MS);
}
