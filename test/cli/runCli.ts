/** Runs the compiled `apim-dr` bin as npx would, with only the given environment. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/apim-dr.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `stopWhen`: for a long-running command (`host`), interrupt it (as Ctrl-C does) once a line of its output matches. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}, stopWhen?: (line: string) => boolean): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env['PATH'], ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stopWhen && stdout.split('\n').some(stopWhen)) child.kill('SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
