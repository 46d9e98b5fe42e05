/** The real Bicep compiler and linter over every entry point of infra/: zero errors, zero warnings. */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BICEP_VERSION, locateBicep } from '../../scripts/bicep/bicepCli';
import { ENTRY_POINTS, NOT_COMPILED, parseDiagnostics } from '../../scripts/bicep/compileInfra';
import { allResources, asTemplate } from './arm';
import { REPO, useCompiledInfra } from './compiled';

const bicepFiles = (dir: string): string[] =>
  readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? bicepFiles(path.join(dir, entry.name)) : entry.name.endsWith('.bicep') ? [path.join(dir, entry.name)] : [],
  );

describe('infra: compiled with the Bicep CLI', () => {
  const infra = useCompiledInfra();

  it('builds every entry point and lints it with no error, warning or note', () => {
    const { diagnostics, templates } = infra();
    expect(diagnostics.map((d) => `${d.file}:${d.line} ${d.level} ${d.code}: ${d.message}`)).toEqual([]);
    expect(Object.keys(templates).sort()).toEqual([...ENTRY_POINTS].sort());
  });

  it('compiles with the pinned CLI from NuGet', () => {
    expect(infra().bicepVersion).toContain(`Bicep CLI version ${BICEP_VERSION}`);
  });

  it('reaches every Bicep file from an entry point, except those set apart with a reason', () => {
    const files = bicepFiles('infra');
    const referenced = new Set<string>(ENTRY_POINTS);
    // Modules and imports as the compiler resolves them: relative to the file that names them.
    for (const file of files) {
      const text = readFileSync(path.join(REPO, file), 'utf8');
      for (const match of text.matchAll(/^(?:module \w+|import .+ from) '([^']+\.bicep)'/gm)) referenced.add(path.join(path.dirname(file), match[1]!));
    }
    const apart = Object.keys(NOT_COMPILED);
    expect(files.filter((f) => !referenced.has(f) && !apart.includes(f))).toEqual([]);
    for (const file of apart) expect(referenced.has(file), file).toBe(false);
  });

  it('keeps the Microsoft Graph extension out of what compiles', () => {
    const main = JSON.stringify(infra().templates['infra/main.bicep']);
    expect(main).not.toMatch(/Microsoft\.Graph|microsoftGraph/);
    const config = JSON.parse(readFileSync(path.join(REPO, 'infra/bicepconfig.json'), 'utf8')) as Record<string, unknown>;
    expect(config['extensions']).toBeUndefined();
  });

  it('fails the lint on a finding, with infra/bicepconfig.json raising it to an error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apim-dr-lint-'));
    copyFileSync(path.join(REPO, 'infra/bicepconfig.json'), path.join(dir, 'bicepconfig.json'));
    writeFileSync(path.join(dir, 'probe.bicep'), "param unused string\noutput url string = 'https://management.azure.com/'\n");
    const bicep = await locateBicep(REPO);
    if (!bicep.found) throw new Error(bicep.reason);
    const output = await promisify(execFile)(bicep.path, ['lint', 'probe.bicep'], { cwd: dir }).then(
      ({ stdout, stderr }) => stdout + stderr,
      (err: { stdout: string; stderr: string }) => err.stdout + err.stderr,
    );
    const findings = parseDiagnostics(output, dir).map((d) => `${d.level} ${d.code}`);
    expect(findings.sort()).toEqual(['Error no-hardcoded-env-urls', 'Error no-unused-params']);
  });

  it('keeps every linter rule at its default level or stricter', () => {
    const config = JSON.parse(readFileSync(path.join(REPO, 'infra/bicepconfig.json'), 'utf8')) as {
      analyzers: { core: { enabled: boolean; rules: Record<string, { level: string }> } };
    };
    expect(config.analyzers.core.enabled).toBe(true);
    for (const [rule, { level }] of Object.entries(config.analyzers.core.rules)) expect(['warning', 'error'], rule).toContain(level);
  });

  it('reports its figures: entry points, resources, time', () => {
    const { templates, seconds } = infra();
    const resources = Object.values(templates).flatMap((t) => allResources(asTemplate(t)));
    const modules = resources.filter((r) => r.resource.type === 'Microsoft.Resources/deployments').length;
    console.log(
      `apim-dr infra: ${ENTRY_POINTS.length} entry point(s), ${resources.length - modules} resource declarations in ${modules} modules, ` +
        `built and linted in ${seconds.toFixed(1)} s (0 when cached); not compiled: ${Object.keys(NOT_COMPILED).join(', ')}`,
    );
    expect(resources.length - modules).toBeGreaterThan(40);
  });
});
