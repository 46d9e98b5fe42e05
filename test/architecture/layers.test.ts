/**
 * Imports run down the layers, never up: domain ← config ← azure ← telemetry ← services ← workflows ← dashboard
 * ← http ← local, sandbox ← cli ← functions. Only static imports count: the local host loads functions/ with a
 * dynamic import by design (it is the Functions host's stand-in).
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/** Static relative imports (`import … from './x'`, `export … from './x'`, `import './x'`), resolved to files. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s(?:[^'";]*?\sfrom\s)?'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specifiers.map((s) => path.resolve(path.dirname(file), s.replace(/\.js$/, '')));
}

describe('layers', () => {
  const files = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'functions')), ...sources(path.join(ROOT, 'dev'))];

  it('finds the modules it judges', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(relativeImports(path.join(ROOT, 'src/workflows/backup/startBackup.ts')).length).toBeGreaterThan(5);
  });

  it('has no import that runs up the layers', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of relativeImports(file)) {
        const to = layerOf(target.endsWith('.ts') ? target : `${target}.ts`);
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
