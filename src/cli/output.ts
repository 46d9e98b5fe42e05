/** CLI output: human tables, or JSON or YAML with --output (--json is --output json); errors to stderr with their exit code. */
import { ExitCode, UserError } from '../errors';
import { yamlModule } from './lazy';
export { ExitCode, exitCodeFor } from '../errors';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `--output` and `--json` together, as one format; anything else is a usage error naming the flag. */
export function outputFormat(options: { output?: string; json?: boolean }): OutputFormat {
  if (options.output === undefined) return options.json ? 'json' : 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(options.output))
    throw new UserError(`--output '${options.output}' is not a format: use ${OUTPUT_FORMATS.join(', ')}`, 'usage', 'InvalidOutput');
  if (options.json && options.output !== 'json')
    throw new UserError(`--json is --output json; drop one of --json and --output ${options.output}`, 'usage', 'InvalidOutput');
  return options.output as OutputFormat;
}

export interface Output {
  /** Structured output (JSON or YAML): commands hand their result to `data` instead of printing lines. */
  json: boolean;
  format: OutputFormat;
  line(text: string): void;
  data(value: unknown): void;
  progress(text: string): void;
  error(text: string): void;
}

export function createOutput(
  format: OutputFormat | boolean,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Output {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  const chosen: OutputFormat = format === true ? 'json' : format === false ? 'table' : format;
  const json = chosen !== 'table';
  return {
    json,
    format: chosen,
    line: (text) => void (json || stdout.write(`${text}\n`)),
    data: (value) =>
      void stdout.write(chosen === 'yaml' ? yamlModule().stringify(JSON.parse(JSON.stringify(value)) as unknown) : `${JSON.stringify(value, null, 2)}\n`),
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

/** A refusal's blocking findings, one line each with its fix, on stderr; the refused exit code to return. */
export function printRefusal(findings: readonly { severity: string; code: string; message: string; fix: string }[], out: Output): number {
  for (const f of findings.filter((x) => x.severity === 'blocking')) out.error(`${f.code}: ${f.message} (fix: ${f.fix})`);
  return ExitCode.refused;
}
