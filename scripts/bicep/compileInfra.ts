/**
 * Builds every Bicep entry point of infra/ with the Bicep CLI and runs its linter, returning the ARM templates and
 * every diagnostic. Results are cached under .tools/ by a hash of infra/ and the CLI, so test files share one build.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** The files `azd provision` deploys (azure.yaml's infra.module), each built on its own. */
export const ENTRY_POINTS = ['infra/main.bicep'] as const;

/** Bicep files deliberately not compiled here, and why. */
export const NOT_COMPILED: Record<string, string> = {
  'infra/entra/appRegistration.bicep':
    'the Microsoft Graph Bicep extension it needs is restored from mcr.microsoft.com, which these machines do not reach; the preprovision hook deploys it',
};

export interface Diagnostic {
  file: string;
  line: number;
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  message: string;
}

/** An ARM template as `bicep build` emits it; test/infra/arm.ts reads it. */
export type ArmTemplate = Record<string, unknown>;

export interface CompiledInfra {
  bicepVersion: string;
  templates: Record<string, ArmTemplate>;
  diagnostics: Diagnostic[];
  /** Wall-clock seconds of the build and lint, when they ran (not when the cache answered). */
  seconds: number;
}

const run = promisify(execFile);

export async function compileInfra(root: string, bicep: string): Promise<CompiledInfra> {
  const cacheDir = path.join(root, '.tools', 'bicep-out', infraHash(root, bicep));
  const cacheFile = path.join(cacheDir, 'compiled.json');
  const cached = () => JSON.parse(readFileSync(cacheFile, 'utf8')) as CompiledInfra;
  if (existsSync(cacheFile)) return cached();
  // Test files run in parallel workers: one compiles, the others wait for its result (2 cores are shared).
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  const lock = `${cacheDir}.lock`;
  try {
    mkdirSync(lock);
  } catch {
    if (await appears(cacheFile, 600_000)) return cached();
  }
  try {
    return await compile(root, bicep, cacheDir, cacheFile);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function appears(file: string, timeoutMs: number): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    if (existsSync(file)) return true;
  }
  return false;
}

async function compile(root: string, bicep: string, cacheDir: string, cacheFile: string): Promise<CompiledInfra> {
  const started = Date.now();
  const bicepVersion = (await run(bicep, ['--version'])).stdout.trim();
  const templates: Record<string, ArmTemplate> = {};
  const diagnostics: Diagnostic[] = [];
  mkdirSync(cacheDir, { recursive: true });
  for (const entry of ENTRY_POINTS) {
    const outfile = path.join(cacheDir, `${path.basename(entry, '.bicep')}.${process.pid}.json`);
    // `build` reports compiler errors and linter findings; `lint` is the linter on its own, which CI pipelines run.
    const [build, lint] = await Promise.all([runBicep(bicep, ['build', entry, '--outfile', outfile], root), runBicep(bicep, ['lint', entry], root)]);
    diagnostics.push(...parseDiagnostics(build, root), ...parseDiagnostics(lint, root));
    if (existsSync(outfile)) templates[entry] = JSON.parse(readFileSync(outfile, 'utf8')) as ArmTemplate;
  }
  const unique = [...new Map(diagnostics.map((d) => [`${d.file}:${d.line}:${d.code}:${d.message}`, d])).values()];
  const result: CompiledInfra = { bicepVersion, templates, diagnostics: unique, seconds: (Date.now() - started) / 1000 };
  const partial = `${cacheFile}.${process.pid}`;
  writeFileSync(partial, JSON.stringify(result));
  renameSync(partial, cacheFile);
  return result;
}

/** The compiler exits non-zero on errors; its diagnostics are what the caller wants either way. */
async function runBicep(bicep: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(bicep, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return `${stdout}\n${stderr}`;
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    if (!stdout && !stderr) throw err;
    return `${stdout}\n${stderr}`;
  }
}

const DIAGNOSTIC = /^(.+?)\((\d+),\d+\) : (Error|Warning|Info) ([\w-]+): (.*)$/;

export function parseDiagnostics(output: string, root: string): Diagnostic[] {
  return output.split('\n').flatMap((line) => {
    const match = DIAGNOSTIC.exec(line.trim());
    if (!match) return [];
    const [, file, lineNo, level, code, message] = match;
    return [{ file: path.relative(root, file!), line: Number(lineNo), level: level as Diagnostic['level'], code: code!, message: message! }];
  });
}

function infraHash(root: string, bicep: string): string {
  const hash = createHash('sha256').update(bicep);
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  for (const file of walk(path.join(root, 'infra')).filter((f) => /\.(bicep|json)$/.test(f))) {
    hash.update(path.relative(root, file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}
