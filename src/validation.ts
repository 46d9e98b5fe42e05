/** zod issues as apim-dr reports them, for config and request bodies alike: the field's path, the problem and the value. */
import type { z } from 'zod';

export function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  const path = formatPath(issue.path);
  const input = 'input' in issue ? issue.input : undefined;
  const shown = input === undefined || typeof input === 'object' ? '' : ` (got ${JSON.stringify(input)})`;
  if (issue.code === 'unrecognized_keys') {
    return { path, message: `unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}: remove them or check their spelling` };
  }
  if (issue.code === 'invalid_type' && input === undefined) return { path, message: `is required (${issue.expected})` };
  // Custom messages already quote the value.
  return { path, message: issue.code === 'custom' ? issue.message : issue.message + shown };
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}
