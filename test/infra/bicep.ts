/** Just enough reading of our own Bicep to check it offline: no Bicep compiler is available here. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO = join(__dirname, '..', '..');
export const INFRA = join(REPO, 'infra');

export interface BicepFile {
  path: string;
  text: string;
}

export function bicepFiles(): BicepFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  return walk(INFRA)
    .filter((file) => file.endsWith('.bicep'))
    .map((file) => ({ path: relative(REPO, file), text: readFileSync(file, 'utf8') }));
}

export function readInfra(path: string): string {
  return readFileSync(join(INFRA, path), 'utf8');
}

export interface ResourceBlock {
  symbol: string;
  type: string;
  body: string;
  /** The line right above the declaration. */
  commentAbove: string;
}

/** Top-level `resource <symbol> '<type>@<version>' … = { … }` declarations, bodies matched by braces/brackets. */
export function resources(text: string): ResourceBlock[] {
  const found: ResourceBlock[] = [];
  const declaration = /^resource (\w+) '([^'@]+)@[^']+'[^=\n]*=\s*/gm;
  for (let match = declaration.exec(text); match; match = declaration.exec(text)) {
    const start = match.index + match[0].length;
    const body = balanced(text, start);
    const lines = text.slice(0, match.index).trimEnd().split('\n');
    found.push({ symbol: match[1]!, type: match[2]!, body, commentAbove: lines[lines.length - 1] ?? '' });
  }
  return found;
}

/** The keys of the object literal that follows `label` (e.g. `settings:` or `var config =`), first occurrence. */
export function objectKeys(text: string, label: string): string[] {
  const at = text.indexOf(`${label} {`);
  if (at < 0) throw new Error(`no '${label} {' found`);
  const body = balanced(text, at + label.length + 1);
  const inner = body.slice(1, -1);
  const keys: string[] = [];
  let depth = 0;
  for (const line of inner.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('//')) continue;
    if (depth === 0) {
      const name = /^([A-Za-z_][\w]*)\s*:/.exec(trimmed)?.[1];
      if (name) keys.push(name);
    }
    depth += (trimmed.match(/[{[(]/g) ?? []).length - (trimmed.match(/[}\])]/g) ?? []).length;
  }
  return keys;
}

/** A `param <name> <type> = <default>` default, as written. */
export function paramDefault(text: string, name: string): string | undefined {
  return new RegExp(`^param ${name} \\w+ = (.+)$`, 'm').exec(text)?.[1]?.trim();
}

function balanced(text: string, start: number): string {
  const open = text[start];
  if (open !== '{' && open !== '[') {
    // `= if (cond) {` or `= [for …: {`: start at the first opener.
    const next = text.slice(start).search(/[{[]/);
    return balanced(text, start + next);
  }
  let depth = 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (!quoted && c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      continue;
    }
    if (c === "'" && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '{' || c === '[') depth++;
    if (c === '}' || c === ']') depth--;
    if (depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced block at ${start}`);
}
