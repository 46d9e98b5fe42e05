/**
 * Imports run down the layers, never up: domain ← config ← azure ← telemetry ← services ← workflows ← dashboard
 * ← http ← inProcess ← cli ← functions ← dev (the stage set: local host, sandbox, Azurite; it never ships).
 * Static and dynamic imports (`import('…')`) both count, and no module reaches itself through its imports.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Each area's rank: a module may import from its own rank or below. */
const LAYERS: Record<string, number> = {
  'src/domain': 0,
  'src/clock.ts': 0,
  'src/errors.ts': 0,
  'src/validation.ts': 0,
  'src/types': 0,
  'src/config': 1,
  'src/azure': 2,
  'src/telemetry': 3,
  'src/services.ts': 4,
  'src/workflows': 5,
  'src/dashboard': 6,
  'src/http': 7,
  'src/inProcess': 8,
  'src/cli': 9,
  functions: 10,
  dev: 11,
};

function layerOf(file: string): string {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  const layer = Object.keys(LAYERS)
    .filter((l) => relative === l || relative.startsWith(`${l}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (!layer) throw new Error(`${relative} is in no layer: add it to LAYERS`);
  return layer;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Relative imports, resolved to files: static (`import … from './x'`, `export … from './x'`, `import './x'`) and
 * dynamic (`import('./x.js')`, which a deferred load uses and which an upward or looping import could hide behind).
 */
function relativeImports(file: string, { runtimeOnly = false } = {}): string[] {
  const text = readFileSync(file, 'utf8');
  const statics = [...text.matchAll(/^(?:import|export)\s(?:[^'";]*?\sfrom\s)?'(\.[^']+)'/gm)]
    // `import type` is erased when compiled: it orders nothing at run time.
    .filter((m) => !(runtimeOnly && /^(?:import|export)\s+type\s/.test(m[0])))
    .map((m) => m[1]!);
  const dynamics = [...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!);
  return [...statics, ...dynamics].map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '')));
}

/** The module a resolved import names: `x.ts`, or `x/index.ts` for a folder. */
function moduleFile(target: string): string {
  if (target.endsWith('.ts')) return target;
  return existsSync(`${target}.ts`) || !existsSync(path.join(target, 'index.ts')) ? `${target}.ts` : path.join(target, 'index.ts');
}

/**
 * Every cycle of imports that run (static or dynamic, not `import type`) among `files`, each as the chain of modules
 * that closes it: a module that loads, through others, a module that loads it.
 */
function importLoops(files: string[]): string[] {
  const graph = new Map(files.map((f) => [f, relativeImports(f, { runtimeOnly: true }).map(moduleFile)]));
  const state = new Map<string, 'open' | 'done'>();
  const loops: string[] = [];
  const visit = (file: string, chain: string[]) => {
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') loops.push([...chain.slice(chain.indexOf(next)), file, next].map((f) => path.relative(ROOT, f)).join(' -> '));
      else if (!state.has(next) && graph.has(next)) visit(next, [...chain, file]);
    }
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file, []);
  return loops;
}

describe('layers', () => {
  const files = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'functions')), ...sources(path.join(ROOT, 'dev'))];

  it('finds the modules it judges', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(relativeImports(path.join(ROOT, 'src/workflows/backup/startBackup.ts')).length).toBeGreaterThan(5);
    // Deferred loads count too: the CLI loads its in-process modules with import().
    expect(relativeImports(path.join(ROOT, 'src/cli/lazy.ts'))).toContain(path.join(ROOT, 'src/inProcess/runInProcess'));
  });

  it('puts dev/, the stage set, above everything that ships, and nothing that ships imports it', () => {
    expect(layerOf(path.join(ROOT, 'dev/localHost/LocalHost.ts'))).toBe('dev');
    expect(Math.max(...Object.values(LAYERS))).toBe(LAYERS['dev']);
    const intoDev = files
      .filter((f) => layerOf(f) !== 'dev')
      .flatMap((f) =>
        relativeImports(f)
          .filter((t) => layerOf(moduleFile(t)) === 'dev')
          .map((t) => `${path.relative(ROOT, f)} imports ${path.relative(ROOT, t)}`),
      );
    expect(intoDev).toEqual([]);
  });

  it('has no import loop', () => {
    expect(importLoops(files)).toEqual([]);
  });

  it('would find the loop functions/ -> src/ -> the local host -> functions/ that a dynamic import used to hide', () => {
    const loop = importLoops([path.join(ROOT, 'test/architecture/fixtures/loop/a.ts'), path.join(ROOT, 'test/architecture/fixtures/loop/b.ts')]);
    expect(loop).toEqual(['test/architecture/fixtures/loop/a.ts -> test/architecture/fixtures/loop/b.ts -> test/architecture/fixtures/loop/a.ts']);
  });

  it('has no import that runs up the layers', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of relativeImports(file)) {
        const to = layerOf(moduleFile(target));
        if (LAYERS[to]! > LAYERS[from]!) upward.push(`${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)} (${from} -> ${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps domain/ pure: no I/O, no SDK, no config (hashing is computation)', () => {
    const impure = sources(path.join(ROOT, 'src/domain')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^import [^;]*?from '([^']+)'/gm)]
        .map((m) => m[1]!)
        .filter((s) => (s.startsWith('node:') && s !== 'node:crypto') || s.startsWith('@azure/') || s.startsWith('../'))
        .map((s) => `${path.relative(ROOT, file)}: ${s}`),
    );
    expect(impure).toEqual([]);
  });
});
