/**
 * Builds the deployment zip the way `azd deploy` does for this app (remoteBuild: false): a staging folder with the
 * allowlisted project files (allowlist.ts) that `.funcignore` also keeps and a production-only `node_modules`,
 * zipped with the same rules.
 * azure.yaml's `dist` points azd at the staging folder, so what azd uploads is what this builds and tests.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { isShipped, secretShaped } from './allowlist';
import { excludedByAzd, readFuncIgnore } from './funcIgnore';

/** Relative to the project: azure.yaml's `dist` names the staging folder. */
export const STAGING_DIR = '.deploy/app';
export const ZIP_FILE = '.deploy/apim-dr.zip';
export const LISTING_FILE = '.deploy/apim-dr.zip.txt';

export interface PackageFile {
  path: string;
  bytes: number;
}

export interface DeployPackage {
  zipPath: string;
  listingPath: string;
  zipBytes: number;
  files: PackageFile[];
  uncompressedBytes: number;
}

export interface PackageOptions {
  /** The project folder (package.json, host.json, .funcignore). */
  root: string;
  /** Compile TypeScript first (default true). */
  build?: boolean;
  log?: (line: string) => void;
}

export function buildDeployPackage(options: PackageOptions): DeployPackage {
  const root = path.resolve(options.root);
  const log = options.log ?? (() => undefined);
  if (options.build !== false) {
    log('compiling TypeScript (tsc -p tsconfig.json)');
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  }
  const staging = path.join(root, STAGING_DIR);
  rmSync(path.join(root, '.deploy'), { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const rules = readFuncIgnore(root);
  // Only what the allowlist names is staged (node_modules is installed below); .funcignore may leave out more.
  const staged = walk(root, (relative, isDirectory) => !isShipped(relative) || excludedByAzd(rules, relative, isDirectory));
  const secrets = secretShaped(staged);
  if (secrets.length) throw new Error(`refusing to package secret-shaped files in dist/: ${secrets.join(', ')}; remove them and build again`);
  for (const file of staged) {
    mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    copyFileSync(path.join(root, file), path.join(staging, file));
  }
  // azd reads the ignore file of the folder it zips: the same rules apply there.
  if (rules) copyFileSync(path.join(root, '.funcignore'), path.join(staging, '.funcignore'));

  log('installing production dependencies (npm ci --omit=dev)');
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-bin-links', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: staging,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });

  const zipRules = readFuncIgnore(staging);
  const files = walk(staging, (relative, isDirectory) => excludedByAzd(zipRules, relative, isDirectory)).sort();
  const entries: Zippable = {};
  const listed: PackageFile[] = [];
  for (const file of files) {
    const content = readFileSync(path.join(staging, file));
    entries[file] = content;
    listed.push({ path: file, bytes: content.length });
  }
  const zip = zipSync(entries, { level: 6 });
  const zipPath = path.join(root, ZIP_FILE);
  writeFileSync(zipPath, zip);
  const uncompressedBytes = listed.reduce((sum, f) => sum + f.bytes, 0);
  const listingPath = path.join(root, LISTING_FILE);
  writeFileSync(listingPath, renderListing(listed, zip.length, uncompressedBytes));
  return { zipPath, listingPath, zipBytes: zip.length, files: listed, uncompressedBytes };
}

/** Files below `dir` (POSIX paths relative to it), skipping every entry `skip` names; symbolic links are not followed. */
function walk(dir: string, skip: (relative: string, isDirectory: boolean) => boolean, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    const isDirectory = entry.isDirectory();
    if (skip(relative, isDirectory)) continue;
    if (isDirectory) out.push(...walk(dir, skip, relative));
    else if (lstatSync(path.join(dir, relative)).isFile()) out.push(relative);
  }
  return out;
}

/** What is in the zip: per top-level folder (and per package in node_modules) the files and bytes, then every file. */
function renderListing(files: PackageFile[], zipBytes: number, uncompressedBytes: number): string {
  const groups = new Map<string, PackageFile[]>();
  for (const file of files) {
    const parts = file.path.split('/');
    const key = parts[0] === 'node_modules' ? parts.slice(0, parts[1]?.startsWith('@') ? 3 : 2).join('/') : parts.length > 1 ? `${parts[0]}/` : parts[0]!;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const lines = [`apim-dr deployment package: ${files.length} files, ${uncompressedBytes} bytes, zipped ${zipBytes} bytes`, '', 'by folder:'];
  for (const [key, group] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(`  ${key}  ${group.length} files  ${group.reduce((s, f) => s + f.bytes, 0)} bytes`);
  }
  lines.push('', 'files:', ...files.map((f) => `  ${f.path}  ${f.bytes}`));
  return `${lines.join('\n')}\n`;
}
