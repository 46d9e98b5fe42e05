/**
 * The Bicep CLI apim-dr compiles infra/ with: a pinned release from NuGet (Microsoft publishes the CLI there as
 * `Azure.Bicep.CommandLine.<rid>`, the executable at `tools/bicep`), checked against its SHA-512 and cached under
 * `.tools/` (git-ignored). A `bicep` on the PATH is the fallback where NuGet cannot be reached.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

export const BICEP_VERSION = '0.49.2';
const PACKAGE = 'azure.bicep.commandline.linux-x64';
/** SHA-512 of the .nupkg NuGet serves for this version (what `sha512sum` prints for the downloaded file). */
const PACKAGE_SHA512 = '9019d7d221bdc1dfcf59d093c057d4be6e897a69fee4beec63b6fb1d08b993e2cbc1d166adbc38cb94532c5c5ec0214c741a944e188e20b31aeec8339253c401';
export const PACKAGE_URL = `https://api.nuget.org/v3-flatcontainer/${PACKAGE}/${BICEP_VERSION}/${PACKAGE}.${BICEP_VERSION}.nupkg`;

export const HOW_TO_GET_BICEP =
  `run \`npm run bicep:fetch\` on a machine that reaches api.nuget.org (it downloads ${PACKAGE} ${BICEP_VERSION}), ` +
  'or install the Bicep CLI on the PATH (https://aka.ms/bicep-install)';

export type BicepLocation = { found: true; path: string; source: string } | { found: false; reason: string };

/** Where the pinned CLI is cached inside the project. */
export function cachedBicepPath(root: string): string {
  return path.join(root, '.tools', 'bicep', BICEP_VERSION, 'bicep');
}

/** The pinned CLI, fetched into `.tools/` if missing; else a `bicep` on the PATH; else why neither is there. */
export async function locateBicep(root: string): Promise<BicepLocation> {
  const cached = cachedBicepPath(root);
  if (existsSync(cached)) return { found: true, path: cached, source: `NuGet ${PACKAGE} ${BICEP_VERSION} (cached)` };
  let fetchProblem = `the pinned CLI is published for linux-x64 only, and this is ${process.platform}-${process.arch}`;
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      await fetchBicep(root);
      return { found: true, path: cached, source: `NuGet ${PACKAGE} ${BICEP_VERSION} (fetched)` };
    } catch (err) {
      fetchProblem = err instanceof Error ? err.message : String(err);
    }
  }
  const onPath = bicepOnPath();
  if (onPath) return { found: true, path: onPath, source: `bicep on the PATH (${onPath}), not the pinned ${BICEP_VERSION}` };
  return { found: false, reason: `no Bicep CLI: ${fetchProblem}; and no \`bicep\` on the PATH. To get one, ${HOW_TO_GET_BICEP}` };
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
  mkdirSync(path.dirname(target), { recursive: true });
  // Written aside and renamed: a parallel test worker never runs a half-written file.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, executable);
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
