/** CLI output: human tables on a TTY, JSON with --json; errors to stderr with the exit code they map to. */
export { ExitCode, exitCodeFor } from '../errors';

export interface Output {
  json: boolean;
  line(text: string): void;
  data(value: unknown): void;
  progress(text: string): void;
  error(text: string): void;
}

export function createOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  return {
    json,
    line: (text) => void (json || stdout.write(`${text}\n`)),
    data: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    // Progress only on a terminal, and on stderr, so that scripts get clean output.
    progress: (text) => void (tty && !json && stderr.write(`\r\x1b[K${text}`)),
    error: (text) => void stderr.write(`${tty ? '\r\x1b[K' : ''}apim-dr: ${text}\n`),
  };
}

export function table(rows: Record<string, string>[], columns: string[]): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [format(columns.map((c) => c.toUpperCase())), ...rows.map((r) => format(columns.map((c) => r[c] ?? '')))].join('\n');
}
