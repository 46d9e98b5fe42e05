/** The preprovision hook's check: a bad config fails on the operator's machine with apim-dr's own error list. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDeployConfig, substituteEnvironment } from '../../scripts/infra/deployConfig';
import { REPO } from './compiled';

const PARAMETERS = readFileSync(path.join(REPO, 'infra/main.parameters.json'), 'utf8');
const ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service';

const withParameters = (values: Record<string, unknown>) => {
  const file = JSON.parse(PARAMETERS) as { parameters: Record<string, { value: unknown }> };
  for (const [name, value] of Object.entries(values)) file.parameters[name] = { value };
  return JSON.stringify(file);
};

describe('preprovision: the deployed config is validated before anything is deployed', () => {
  it('accepts the parameters file as shipped', () => {
    expect(checkDeployConfig(PARAMETERS, {})).toEqual([]);
  });

  it("reports every problem with its path, in apim-dr's own words", () => {
    const problems = checkDeployConfig(
      withParameters({
        services: [{ id: `${ID}/apim-one`, schedule: '0 2 * * *', colour: 'red' }, { id: 'apim-two' }],
        defaults: { retention: 'P45D' },
      }),
      {},
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['services[0].schedule', 'services[1].id', 'defaults.retention']));
    expect(problems.find((p) => p.path === 'services[0].schedule')!.message).toMatch(/6-field NCRONTAB/);
    expect(problems.some((p) => p.message.includes('colour'))).toBe(true);
    expect(problems.find((p) => p.path === 'defaults.retention')!.message).toMatch(/at most P30D/);
  });

  it('refuses AccessKey, which the keyless backup account could never serve', () => {
    const problems = checkDeployConfig(
      withParameters({ services: [{ id: `${ID}/apim-one`, access: { type: 'AccessKey', keySetting: 'APIM_KEY' } }], defaults: {} }),
      {},
    );
    expect(problems).toEqual([
      { path: 'services[0].access.type', message: expect.stringMatching(/AccessKey needs shared keys.*use SystemAssignedManagedIdentity/) },
    ]);
  });

  it("substitutes azd's ${VAR} and ${VAR=default} as azd does", () => {
    expect(substituteEnvironment('"${A}" "${B=fallback}" "${C=x}"', { A: 'one', C: 'set' })).toBe('"one" "fallback" "set"');
    expect(substituteEnvironment('"${A}"', { A: 'say "hi"' })).toBe('"say \\"hi\\""');
  });

  it('stops the hook with exit 2 and the list on stderr', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apim-dr-preprovision-'));
    const bad = path.join(dir, 'main.parameters.json');
    writeFileSync(bad, withParameters({ services: [{ id: 'not-an-id' }] }));
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/infra/preprovision.ts', bad], { cwd: REPO, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`the config in ${bad} cannot be deployed`);
    expect(result.stderr).toMatch(/- services\[0\]\.id: 'not-an-id' is not an APIM service resource ID/);
    const good = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/infra/preprovision.ts'], { cwd: REPO, encoding: 'utf8' });
    expect(good).toContain('is valid');
  });

  it('with --azure, stops when a watched group already has a system topic that is not named for reuse', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apim-dr-az-'));
    const group = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apim-weu';
    const topic = `${group}/providers/Microsoft.EventGrid/systemTopics/ops-rg-apim-weu`;
    // A stand-in for the Azure CLI: answers `az eventgrid system-topic list` with one topic on the shipped config's group.
    writeFileSync(
      path.join(dir, 'az'),
      `#!/bin/sh\necho '[{"id": "${topic}", "source": "${group}", "topicType": "Microsoft.Resources.ResourceGroups", "location": "global"}]'\n`,
    );
    chmodSync(path.join(dir, 'az'), 0o755);
    const env = { ...process.env, PATH: `${dir}:${process.env['PATH']}` };
    const run = (file?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/infra/preprovision.ts', '--azure', ...(file ? [file] : [])], {
        cwd: REPO,
        encoding: 'utf8',
        env,
      });
    const refused = run();
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`- existingSystemTopics: resource group '${group.toLowerCase()}' already has the Event Grid system topic '${topic}'`);
    const reusing = path.join(dir, 'main.parameters.json');
    writeFileSync(reusing, withParameters({ existingSystemTopics: { [group]: topic } }));
    expect(run(reusing).status).toBe(0);
  });
});
