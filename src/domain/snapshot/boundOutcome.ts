/**
 * An apply's outcome bounded for its record, as its findings are (boundFindings.ts): a write failing or reading back
 * different on thousands of resources is one cause thousands of times, and the record travels as an activity's and
 * the orchestration's output. Failed writes are grouped by code, paths by resource type (`apis/*\/operations/*`),
 * each group counted with its first examples; the full lists go to the record's findings blob.
 */
import { FINDING_EXAMPLES } from './boundFindings';

export interface FailedWrite {
  path: string;
  code: string;
  message: string;
}

export interface OutcomeGroup {
  /** The error code of a failed write, or the resource type of a path (its names written `*`). */
  kind: string;
  count: number;
  examples: string[];
}

export interface Verification {
  checked: number;
  mismatched: string[];
  stillPresent: string[];
}

/** The verification as a record keeps it: the first paths per type of each list; groups and omissions when any. */
export interface BoundedVerification extends Verification {
  mismatchedGroups?: OutcomeGroup[];
  mismatchedOmitted?: number;
  stillPresentGroups?: OutcomeGroup[];
  stillPresentOmitted?: number;
}

export function boundFailed(
  all: readonly FailedWrite[],
  examples = FINDING_EXAMPLES,
): { failed: FailedWrite[]; failedGroups?: OutcomeGroup[]; failedOmitted?: number } {
  const { kept, groups, omitted } = bound(
    all,
    (f) => f.code,
    (f) => f.path,
    examples,
  );
  return { failed: kept, ...(groups.length ? { failedGroups: groups } : {}), ...(omitted ? { failedOmitted: omitted } : {}) };
}

export function boundVerification(all: Verification, examples = FINDING_EXAMPLES): BoundedVerification {
  const mismatched = bound(all.mismatched, typeOfPath, (p) => p, examples);
  const stillPresent = bound(all.stillPresent, typeOfPath, (p) => p, examples);
  return {
    checked: all.checked,
    mismatched: mismatched.kept,
    stillPresent: stillPresent.kept,
    ...(mismatched.groups.length ? { mismatchedGroups: mismatched.groups } : {}),
    ...(mismatched.omitted ? { mismatchedOmitted: mismatched.omitted } : {}),
    ...(stillPresent.groups.length ? { stillPresentGroups: stillPresent.groups } : {}),
    ...(stillPresent.omitted ? { stillPresentOmitted: stillPresent.omitted } : {}),
  };
}

/** `apis/orders/operations/get` → `apis/*\/operations/*`: a collection's resources alike, whatever their names. */
export function typeOfPath(path: string): string {
  return path
    .split('/')
    .map((segment, i) => (i % 2 === 1 ? '*' : segment))
    .join('/');
}

function bound<T>(all: readonly T[], kindOf: (item: T) => string, pathOf: (item: T) => string, examples: number) {
  const groups = new Map<string, OutcomeGroup>();
  const kept = all.filter((item) => {
    const kind = kindOf(item);
    const group = groups.get(kind) ?? { kind, count: 0, examples: [] };
    groups.set(kind, group);
    group.count += 1;
    if (group.count > examples) return false;
    group.examples.push(pathOf(item));
    return true;
  });
  return { kept, groups: [...groups.values()], omitted: all.length - kept.length };
}
