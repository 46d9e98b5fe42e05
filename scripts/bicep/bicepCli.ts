/**
 * The Bicep CLI apim-dr compiles infra/ with: a pinned release from NuGet (Microsoft publishes the CLI there as
 * `Azure.Bicep.CommandLine.<rid>`, the executable at `tools/bicep`), cached under `.tools/` (git-ignored). Fetched
 * straight from nuget.org and checked against its SHA-512; where that fails, restored with the .NET SDK (which
 * follows the machine's NuGet configuration: proxies, mirrors); else a `bicep` on the PATH.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

export const BICEP_VERSION = '0.49.2';
const PACKAGE_ID = 'Azure.Bicep.CommandLine.linux-x64';
// NuGet's flat container and package folders use the lower-case ID.
const PACKAGE = PACKAGE_ID.toLowerCase();
/** SHA-512 of the .nupkg NuGet serves for this version (what `sha512sum` prints for the downloaded file). */
const PACKAGE_SHA512 = '9019d7d221bdc1dfcf59d093c057d4be6e897a69fee4beec63b6fb1d08b993e2cbc1d166adbc38cb94532c5c5ec0214c741a944e188e20b31aeec8339253c401';
export const PACKAGE_URL = `https://api.nuget.org/v3-flatcontainer/${PACKAGE}/${BICEP_VERSION}/${PACKAGE}.${BICEP_VERSION}.nupkg`;

export const HOW_TO_GET_BICEP =
  `run \`npm run bicep:fetch\` where api.nuget.org is reachable, directly or through the .NET SDK's NuGet configuration ` +
  `(it fetches ${PACKAGE_ID} ${BICEP_VERSION}), or install the .NET SDK (https://dot.net) or the Bicep CLI (https://aka.ms/bicep-install)`;

export type BicepLocation = { found: true; path: string; source: string } | { found: false; reason: string };

/** Where the pinned CLI is cached inside the project. */
export function cachedBicepPath(root: string): string {
  return path.join(root, '.tools', 'bicep', BICEP_VERSION, 'bicep');
}

/** The ways to get a CLI, replaceable in tests. */
export interface BicepSources {
  download: (root: string) => Promise<string>;
  restore: (root: string) => Promise<string>;
  onPath: () => string | undefined;
}

export const NUGET_SOURCES: BicepSources = { download: fetchBicep, restore: restoreBicep, onPath: bicepOnPath };

/** The pinned CLI (cached, downloaded, or restored with the .NET SDK); else a `bicep` on the PATH; else why not. */
export async function locateBicep(root: string, sources: BicepSources = NUGET_SOURCES): Promise<BicepLocation> {
  const cached = cachedBicepPath(root);
  if (existsSync(cached)) return { found: true, path: cached, source: `NuGet ${PACKAGE_ID} ${BICEP_VERSION} (cached)` };
  const problems: string[] = [];
  if (process.platform === 'linux' && process.arch === 'x64') {
    for (const [how, get] of [
      ['download', sources.download],
      ['.NET SDK restore', sources.restore],
    ] as const) {
      try {
        return { found: true, path: await get(root), source: `NuGet ${PACKAGE_ID} ${BICEP_VERSION} (${how})` };
      } catch (err) {
        problems.push(`${how}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } else problems.push(`the pinned CLI is fetched for linux-x64 only, and this is ${process.platform}-${process.arch}`);
  const onPath = sources.onPath();
  if (onPath) return { found: true, path: onPath, source: `bicep on the PATH (${onPath}), not the pinned ${BICEP_VERSION}` };
  return { found: false, reason: `no Bicep CLI (${problems.join('; ')}; no \`bicep\` on the PATH). To get one, ${HOW_TO_GET_BICEP}` };
}

/** Downloads the pinned package, checks its hash and extracts the executable; a no-op when it is cached. */
export async function fetchBicep(root: string): Promise<string> {
  const target = cachedBicepPath(root);
  if (existsSync(target)) return target;
  let response: Response;
  try {
    response = await fetch(PACKAGE_URL, { signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    throw new Error(`cannot download ${PACKAGE_URL}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!response.ok) throw new Error(`cannot download ${PACKAGE_URL}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const sha512 = createHash('sha512').update(bytes).digest('hex');
  if (sha512 !== PACKAGE_SHA512) {
    throw new Error(`${PACKAGE_URL} has SHA-512 ${sha512}, not the pinned ${PACKAGE_SHA512}: refusing to run it`);
  }
  const executable = unzipSync(bytes, { filter: (file) => file.name === 'tools/bicep' })['tools/bicep'];
  if (!executable) throw new Error(`${PACKAGE_URL} has no tools/bicep`);
  return install(target, (partial) => writeFileSync(partial, executable));
}

/** Restores the pinned package with `dotnet restore` (a throwaway project under .tools/) and copies the executable. */
export async function restoreBicep(root: string): Promise<string> {
  const target = cachedBicepPath(root);
  const project = path.join(root, '.tools', 'bicep-restore');
  mkdirSync(project, { recursive: true });
  writeFileSync(
    path.join(project, 'bicep.csproj'),
    `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n` +
      `  <ItemGroup><PackageDownload Include="${PACKAGE_ID}" Version="[${BICEP_VERSION}]" /></ItemGroup>\n</Project>\n`,
  );
  // Into NuGet's global packages folder: a second restore (another clone, a CI rerun) downloads nothing.
  await dotnet(['restore', path.join(project, 'bicep.csproj')]);
  const globalPackages = /global-packages:\s*(.+)/.exec(await dotnet(['nuget', 'locals', 'global-packages', '--list']))?.[1]?.trim();
  if (!globalPackages) throw new Error("dotnet did not say where NuGet's global packages folder is");
  const restored = path.join(globalPackages, PACKAGE, BICEP_VERSION, 'tools', 'bicep');
  return install(target, (partial) => copyFileSync(restored, partial));
}

function dotnet(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('dotnet', args, { timeout: 300_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`dotnet ${args[0]} failed: ${(stderr || err.message).trim().split('\n').slice(-3).join(' ')}`)) : resolve(stdout),
    ),
  );
}

/** Puts the executable at `target`, written aside and renamed: a parallel test worker never runs a half-written file. */
function install(target: string, write: (partial: string) => void): string {
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  write(partial);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}

function bicepOnPath(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v bicep'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
