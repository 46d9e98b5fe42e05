/** A human-readable log sink for the local host: one short line per record. */
import type { LogSink } from './logger';

const QUIET_KEYS = new Set(['time', 'level', 'message', 'app', 'event', 'function', 'correlationId', 'stack']);

export function prettySink(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), minLevel: 'debug' | 'info' = 'info'): LogSink {
  return (record) => {
    if (minLevel === 'info' && record['level'] === 'debug') return;
    const time = typeof record['time'] === 'string' ? record['time'].slice(11, 19) : '';
    const level = typeof record['level'] === 'string' ? record['level'] : 'info';
    const details = Object.entries(record)
      .filter(([key, value]) => !QUIET_KEYS.has(key) && value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    write(`${time} ${level === 'info' ? '' : `${level.toUpperCase()} `}${String(record['message'])}${details ? `  ${details}` : ''}`);
  };
}
