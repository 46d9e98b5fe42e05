/** The index tags apim-dr writes on every manifest (and on a finished backup blob): the mark of its own entries. */
import { BACKUP_STATES } from '../../domain/manifest';

/** All present, and consistent with the backup's name. */
export function hasCatalogTags(tags: Record<string, string>, service: string): boolean {
  const { createdAt, expiresAt: expires, state, trigger } = tags;
  return (
    tags['service']?.toLowerCase() === service.toLowerCase() &&
    !!createdAt &&
    !Number.isNaN(Date.parse(createdAt)) &&
    !!expires &&
    !Number.isNaN(Date.parse(expires)) &&
    (BACKUP_STATES as readonly string[]).includes(state ?? '') &&
    !!trigger
  );
}
