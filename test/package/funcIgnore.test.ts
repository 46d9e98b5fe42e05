import ignore from 'ignore';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { excludedByAzd, readFuncIgnore } from '../../scripts/package/funcIgnore';

const root = path.resolve(__dirname, '../..');
const rules = readFuncIgnore(root);
const dropped = (relative: string, isDirectory = false) => excludedByAzd(rules, relative, isDirectory);

describe('.funcignore, read as azd reads it', () => {
  it('anchors every pattern, so that none can match inside dist/', () => {
    const patterns = readFileSync(path.join(root, '.funcignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(patterns.filter((p) => !p.startsWith('/'))).toEqual([]);
  });

  it('keeps the compiled app, host.json, package.json and the production dependencies', () => {
    for (const kept of [
      'dist/functions/index.js',
      'dist/src/workflows/backup/startBackup.js',
      'dist/src/inProcess/durableEngine.js',
      'host.json',
      'package.json',
      'node_modules/durable-functions/lib/src/index.js',
    ]) {
      expect(dropped(kept), kept).toBe(false);
    }
    expect(dropped('dist/src', true)).toBe(false);
    expect(dropped('node_modules', true)).toBe(false);
  });

  it('drops sources, tests, benches, infra, docs, local settings and the stage set (dev/)', () => {
    for (const gone of [
      'src/services.ts',
      'functions/index.ts',
      'test/package/funcIgnore.test.ts',
      'bench/fleet.bench.ts',
      'infra/main.bicep',
      'README.md',
      'docs/design.md',
      'local.settings.json',
      'dist/dev/sandbox/armServer.js',
      'dist/dev/localHost/LocalHost.js',
      'dev/localHost/LocalHost.ts',
      'tsconfig.json',
      'azure.yaml',
    ]) {
      expect(dropped(gone), gone).toBe(true);
    }
  });

  it('drops dependencies’ typings and source maps, which never run', () => {
    expect(dropped('node_modules/@azure/storage-blob/dist/commonjs/index.d.ts')).toBe(true);
    expect(dropped('node_modules/@azure/storage-blob/dist/commonjs/index.js.map')).toBe(true);
    expect(dropped('node_modules/@azure/storage-blob/dist/commonjs/index.js')).toBe(false);
  });

  it('would have dropped dist/src with the unanchored pattern this file used to have', () => {
    expect(excludedByAzd(ignore().add('src/\n'), 'dist/src', true)).toBe(true);
  });
});
