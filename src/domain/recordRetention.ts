/**
 * Which restore and migration records the sweep retires: per target (or migrated instance), every record younger than the retention and at least the
 * newest `keep` are kept; the rest go (their audit survives in telemetry). Pure: names in, names out.
 */
import { groupBy } from './groupBy';
import { SERVICE_NAME_PATTERN } from './resourceId';

export interface RecordRetention {
  /** Records younger than this are always kept. */
  minAgeMs: number;
  /** At least this many records per target are always kept, however old. */
  keep: number;
}

/**
 * `restores/<target>.<yyyyMMddTHHmmssZ>[.<ms><id>].json` and `migrations/<service>.…`, as timedRecordName writes them
 * (older restore records lack the id); `snapshot-applies/<target>.<yyyyMMddTHHmmssZ>.<id8>.json` (applyRecordName).
 */
const RECORD = new RegExp(
  `^(?:restores|migrations|snapshot-applies)/(${SERVICE_NAME_PATTERN})\\.(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})Z(?:\\.\\d{3}[0-9a-f]{4}|\\.[0-9a-f]{8})?\\.json$`,
);

export function parseRecordName(name: string): { target: string; at: Date } | undefined {
  return parseTimedName(RECORD, name);
}

/** A timed name's subject (the pattern's first group) and time (the next six: year to second, UTC). */
export function parseTimedName(pattern: RegExp, name: string): { target: string; at: Date } | undefined {
  const m = pattern.exec(name);
  if (!m) return undefined;
  const [, target, y, mo, d, h, mi, s] = m as unknown as string[];
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(at.getTime()) ? undefined : { target: target!, at };
}

/** `parse`: what a name says of its subject and time (approval records name an operation, not an instance). */
export function planRecordRetirement(
  names: readonly string[],
  now: Date,
  retention: RecordRetention,
  parse: (name: string) => { target: string; at: Date } | undefined = parseRecordName,
): string[] {
  // A name apim-dr did not write is not apim-dr's to retire.
  const records = names.flatMap((name) => {
    const parsed = parse(name);
    // Per folder and subject: a target's restores and an instance's migrations are counted apart.
    return parsed ? [{ name, key: `${name.slice(0, name.indexOf('/'))}/${parsed.target.toLowerCase()}`, at: parsed.at }] : [];
  });
  const byTarget = groupBy(records, (r) => r.key);
  const retired: string[] = [];
  for (const records of byTarget.values()) {
    const newestFirst = records.sort((a, b) => b.name.localeCompare(a.name));
    newestFirst.forEach((r, index) => {
      if (index >= retention.keep && now.getTime() - r.at.getTime() >= retention.minAgeMs) retired.push(r.name);
    });
  }
  return retired.sort();
}
