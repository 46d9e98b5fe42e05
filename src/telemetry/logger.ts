/** Structured logging: one JSON object a line, correlation IDs on every record, secrets redacted. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, properties?: Record<string, unknown>): void;
  /** A named event (e.g. `apim-dr.backup.succeeded`): the hook for alerts and dashboards. */
  event(name: string, properties: Record<string, unknown>, level?: LogLevel): void;
  child(properties: Record<string, unknown>): Logger;
}

export type LogSink = (record: Record<string, unknown>) => void;

/** Maps an Azure Functions log level (`information`, `warning`, …) to ours. */
export function fromFunctionsLevel(level: string): LogLevel {
  switch (level) {
    case 'error':
    case 'critical':
      return 'error';
    case 'warning':
      return 'warn';
    case 'information':
      return 'info';
    default:
      return 'debug';
  }
}

// Anything that looks like a credential is masked, whatever field it is in.
const SECRET_VALUE = /(Bearer\s+\S+|AccountKey=[^;]+|SharedAccessSignature=[^;]+|[?&]sig=[^&\s]+|eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]+)/g;
const SECRET_KEY = /(key|token|secret|password|sig|connectionstring)$/i;

export function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return SECRET_KEY.test(key) && key !== 'operationToken' ? '[redacted]' : value.replace(SECRET_VALUE, '[redacted]');
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'operationToken' ? '[omitted]' : redact(v, k)]));
  }
  return value;
}

export function createLogger(sink: LogSink, base: Record<string, unknown> = {}, now: () => Date = () => new Date()): Logger {
  const write = (level: LogLevel, message: string, properties: Record<string, unknown> = {}) =>
    sink(redact({ time: now().toISOString(), level, message, ...base, ...properties }) as Record<string, unknown>);
  return {
    log: write,
    event: (name, properties, level = 'info') => write(level, name, { event: name, ...properties }),
    child: (properties) => createLogger(sink, { ...base, ...properties }, now),
  };
}

export const consoleSink: LogSink = (record) => {
  const line = JSON.stringify(record);
  if (record['level'] === 'error' || record['level'] === 'warn') console.error(line);
  else console.log(line);
};
