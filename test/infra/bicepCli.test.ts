/** Getting the Bicep CLI: pinned from NuGet, by download or the .NET SDK, else the PATH, else a skip that says how. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BICEP_VERSION, cachedBicepPath, locateBicep, restoreBicep, type BicepSources } from '../../scripts/bicep/bicepCli';
import { skipWithoutBicep } from './compiled';

const emptyRoot = () => mkdtempSync(path.join(tmpdir(), 'apim-dr-bicep-'));
const failing = (message: string) => () => Promise.reject(new Error(message));
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
const hasDotnet = (() => {
  try {
    execFileSync('dotnet', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the Bicep CLI', () => {
  it('uses the pinned CLI already in .tools/ without asking NuGet', async () => {
    const root = emptyRoot();
    mkdirSync(path.dirname(cachedBicepPath(root)), { recursive: true });
    writeFileSync(cachedBicepPath(root), '');
    const sources: BicepSources = { download: failing('not asked'), restore: failing('not asked'), onPath: () => undefined };
    expect(await locateBicep(root, sources)).toEqual({
      found: true,
      path: cachedBicepPath(root),
      source: expect.stringContaining(`${BICEP_VERSION} (cached)`),
    });
  });

  it.runIf(linuxX64)('falls back to the .NET SDK restore when the download fails', async () => {
    const sources: BicepSources = { download: failing('ENOTFOUND api.nuget.org'), restore: () => Promise.resolve('/restored/bicep'), onPath: () => undefined };
    expect(await locateBicep(emptyRoot(), sources)).toMatchObject({
      found: true,
      path: '/restored/bicep',
      source: expect.stringContaining('.NET SDK restore'),
    });
  });

  it('falls back to a bicep on the PATH, saying it is not the pinned version', async () => {
    const sources: BicepSources = { download: failing('offline'), restore: failing('no dotnet'), onPath: () => '/usr/local/bin/bicep' };
    expect(await locateBicep(emptyRoot(), sources)).toMatchObject({ found: true, source: expect.stringContaining(`not the pinned ${BICEP_VERSION}`) });
  });

  it('says why there is none and how to get one', async () => {
    const sources: BicepSources = { download: failing('ENOTFOUND api.nuget.org'), restore: failing('spawn dotnet ENOENT'), onPath: () => undefined };
    const located = await locateBicep(emptyRoot(), sources);
    expect(located.found).toBe(false);
    const reason = (located as { reason: string }).reason;
    if (linuxX64) expect(reason).toMatch(/download: ENOTFOUND api\.nuget\.org; \.NET SDK restore: spawn dotnet ENOENT/);
    expect(reason).toMatch(/npm run bicep:fetch.*\.NET SDK \(https:\/\/dot\.net\).*https:\/\/aka\.ms\/bicep-install/);
  });

  it('skips the infra tests with that reason, and fails them under CI=true', () => {
    expect(skipWithoutBicep('no Bicep CLI', {})).toBe('infra tests skipped: no Bicep CLI');
    expect(() => skipWithoutBicep('no Bicep CLI', { CI: 'true' })).toThrow(/CI=true and no Bicep CLI: a pipeline must compile infra\//);
  });

  it.runIf(linuxX64 && hasDotnet)(
    'restores the pinned package with the .NET SDK into .tools/',
    async () => {
      const root = emptyRoot();
      const bicep = await restoreBicep(root);
      expect(bicep).toBe(cachedBicepPath(root));
      expect(existsSync(bicep)).toBe(true);
      expect(execFileSync(bicep, ['--version'], { encoding: 'utf8' })).toContain(`Bicep CLI version ${BICEP_VERSION}`);
    },
    300_000,
  );
});
