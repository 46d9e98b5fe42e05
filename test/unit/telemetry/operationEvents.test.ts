import { describe, expect, it } from 'vitest';
import type { JsonBlobStore } from '../../../src/azure/jsonBlobStore';
import { createLogger } from '../../../src/telemetry/logger';
import { keepingOperationEvents, OperationEvents } from '../../../src/telemetry/operationEvents';

/** A store that keeps what is written in memory: enough to see what the logger hands over, and under which name. */
function memoryStore() {
  const written = new Map<string, unknown>();
  const store = {
    write: (name: string, value: unknown) => (written.set(name, value), Promise.resolve('"etag"')),
  } as unknown as JsonBlobStore;
  return { written, store };
}

describe('operation events kept in the state container', () => {
  const now = () => new Date('2026-12-07T01:02:03.456Z');
  const correlationId = '0b8e7c3a-1111-4222-8333-944445555666';

  it("keeps an operation's events under its correlation ID, and still logs them as before", async () => {
    const { written, store } = memoryStore();
    const lines: Record<string, unknown>[] = [];
    const events = new OperationEvents(store, now, () => undefined);
    const logger = keepingOperationEvents(
      createLogger((r) => lines.push(r)),
      events,
    ).child({ correlationId });
    logger.event('apim-dr.restore.started', { target: 'contoso-apim-neu', token: 'Bearer abc.def' });
    await events.flush();
    expect(lines).toHaveLength(1);
    const [name, value] = [...written][0] ?? [];
    expect(name).toMatch(new RegExp(`^logs/${correlationId}/20261207T010203\\.456Z\\.[0-9a-f]{8}\\.json$`));
    expect(value).toEqual({
      time: now().toISOString(),
      level: 'info',
      event: 'apim-dr.restore.started',
      correlationId,
      target: 'contoso-apim-neu',
      token: '[redacted]',
    });
  });

  it('keeps nothing that is not an operation event, or has no usable correlation ID', async () => {
    const { written, store } = memoryStore();
    const events = new OperationEvents(store, now, () => undefined);
    const logger = keepingOperationEvents(
      createLogger(() => undefined),
      events,
    );
    logger.event('apim-dr.schedule.tick', { correlationId, due: 3 });
    logger.event('apim-dr.backup.started', { service: 'contoso-apim-weu' });
    logger.event('apim-dr.backup.started', { correlationId: '../restores/x' });
    await events.flush();
    expect([...written.keys()]).toEqual([]);
  });

  it('a write that fails is reported, never thrown into the operation', async () => {
    const failures: string[] = [];
    const store = { write: () => Promise.reject(new Error('storage said 403')) } as unknown as JsonBlobStore;
    const events = new OperationEvents(store, now, (message) => failures.push(message));
    keepingOperationEvents(
      createLogger(() => undefined),
      events,
    ).event('apim-dr.backup.failed', { correlationId }, 'error');
    await events.flush();
    expect(failures).toEqual([`could not keep event apim-dr.backup.failed of operation ${correlationId}: storage said 403`]);
  });
});
