/**
 * The deployment zip is built from an allowlist: stray files planted at the project root, the kind a developer
 * leaves there (a `.env`, keys, `local.settings.json`, an `.npmrc` with a token), never ship. Built with the real
 * packager on a small project, so that what is judged is exactly what `npm run package` does.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDeployPackage } from '../../scripts/package/deployPackage';

// A stand-in key's label, spelled apart so that no file in git reads as a private key: the body is not a key.
const KEY_LABEL = ['PRIVATE', 'KEY'].join(' ');

const repository = path.resolve(__dirname, '../..');
let project: string | undefined;

afterEach(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  project = undefined;
});

/** A project with the shipped parts (compiled app, host.json, manifests without dependencies) and `extra` files. */
function plantProject(extra: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'apim-dr-allowlist-'));
  const files: Record<string, string> = {
    'dist/functions/index.js': 'module.exports = {};\n',
    'host.json': '{ "version": "2.0" }\n',
    'package.json': JSON.stringify({ name: 'allowlist-probe', version: '1.0.0', main: 'dist/functions/index.js' }),
    'package-lock.json': JSON.stringify({
      name: 'allowlist-probe',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'allowlist-probe', version: '1.0.0' } },
    }),
    ...extra,
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  copyFileSync(path.join(repository, '.funcignore'), path.join(root, '.funcignore'));
  return root;
}

describe('the deployment zip is built from an allowlist', () => {
  it('ships dist/, host.json and the package manifests, and none of the stray files at the root', () => {
    project = plantProject({
      '.env': 'STORAGE_KEY=c2VjcmV0\n',
      '.env.production': 'TOKEN=c2VjcmV0\n',
      'server.pem': `-----BEGIN ${KEY_LABEL}-----\nc2VjcmV0\n-----END ${KEY_LABEL}-----\n`,
      'tls.key': 'c2VjcmV0\n',
      'local.settings.json': '{ "Values": { "AzureWebJobsStorage": "c2VjcmV0" } }\n',
      '.npmrc': '//registry.npmjs.org/:_authToken=c2VjcmV0\n',
      'notes.txt': 'scratch\n',
      'backup-export/contoso.apimbackup': 'x',
    });
    const built = buildDeployPackage({ root: project, build: false });
    const zipped = Object.keys(unzipSync(readFileSync(built.zipPath))).sort();
    expect(zipped).toEqual(['dist/functions/index.js', 'host.json', 'package-lock.json', 'package.json']);
    expect(built.files.map((f) => f.path).sort()).toEqual(zipped);
  });

  it('refuses to package a secret-shaped file inside dist/, naming it', () => {
    project = plantProject({ 'dist/certs/client.pem': 'c2VjcmV0\n' });
    expect(() => buildDeployPackage({ root: project!, build: false })).toThrow(/secret-shaped files in dist\/: dist\/certs\/client\.pem/);
  });
});
