/** Test harness: sandbox (APIM + Azurite) and the local host on one virtual clock. */
import type { TokenCredential } from '@azure/core-auth';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/loadConfig';
import { VirtualClock } from '../../src/inProcess/hostClock';
import { LocalHost } from '../../dev/localHost/LocalHost';
import type { EngineHooks } from '../../src/inProcess/durableEngine';
import { startSandbox, type RunningSandbox, type SandboxStartOptions } from '../../dev/sandbox/startSandbox';
import { createServices, type Services } from '../../src/services';
import { createLogger, type Logger } from '../../src/telemetry/logger';
import { findSecrets } from '../../src/telemetry/secretScan';
import { AZURITE_KEY } from '../../dev/sandbox/azurite';

/** Where the integration tests' structured logs go, for `scripts/scan-logs.ts`. */
const LOG_DIR = join(__dirname, '..', '..', 'test-results', 'logs');

export interface Harness {
  clock: VirtualClock;
  sandbox: RunningSandbox;
  services: Services;
  host: LocalHost;
  logs: Record<string, unknown>[];
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface HarnessOptions extends SandboxStartOptions {
  config?: (sandbox: RunningSandbox) => Record<string, unknown>;
  hooks?: EngineHooks;
  timers?: boolean;
  start?: Date;
  /** App settings on top of the sandbox's (e.g. a timer schedule). */
  settings?: Record<string, string>;
  /** Another CA to trust besides the sandbox's (PEM). */
  extraCa?: string;
  /** Replaces the sandbox credential the config asks for. */
  credential?: (clock: VirtualClock) => TokenCredential;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const clock = new VirtualClock(options.start ?? new Date('2026-03-01T00:00:00Z'));
  const sandbox = await startSandbox({ ...options, clock });
  const logs: Record<string, unknown>[] = [];
  const logger: Logger = createLogger(
    (r) => logs.push(r),
    { app: 'apim-dr' },
    () => clock.now(),
  );
  const config = parseConfig(options.config ? options.config(sandbox) : sandbox.config());
  const services = createServices(config, {
    settings: { ...sandbox.settings, ...options.settings },
    clock,
    logger,
    extraCa: sandbox.caPem + (options.extraCa ?? ''),
    credential: options.credential?.(clock),
  });
  const host = await LocalHost.start({ services, clock, port: 0, timers: options.timers ?? false, hooks: options.hooks, logger });
  // Every response body the local host sends while the harness runs is kept for the secret scan at close.
  const responses: string[] = [];
  const unrecord = recordResponses(host.origin, responses);
  return {
    clock,
    sandbox,
    services,
    host,
    logs,
    async api(method, path, body) {
      const response = await fetch(`${host.origin}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
    },
    async close() {
      await host.stop();
      await services.telemetry.shutdown();
      await sandbox.close();
      // Every integration test's logs and the response bodies it received are scanned here, and kept for CI's scan.
      const lines = logs.map((r) => JSON.stringify(r)).join('\n');
      mkdirSync(LOG_DIR, { recursive: true });
      unrecord();
      const bodies = responses.map((text) => JSON.stringify({ response: text.slice(0, 100_000) })).join('\n');
      appendFileSync(
        join(LOG_DIR, `integration-${process.pid}.jsonl`),
        [lines, bodies]
          .filter(Boolean)
          .map((t) => `${t}\n`)
          .join(''),
      );
      const found = findSecrets([lines, ...responses].join('\n'), [AZURITE_KEY, sandbox.connectionString]);
      if (found.length) throw new Error(`secrets in the logs: ${found.map((f) => `${f.what} (${f.excerpt})`).join(', ')}`);
    },
  };
}

/** Runs virtual time until the orchestration leaves Pending/Running; returns its final status. */
export async function runToCompletion(h: Harness, instanceId: string, limitMs = 2 * 86_400_000) {
  await h.clock.runUntil(() => {
    const status = h.host.engine.instances.get(instanceId)?.runtimeStatus;
    return status !== undefined && status !== 'Running' && status !== 'Pending';
  }, limitMs);
  return h.host.engine.instances.get(instanceId)!;
}

/** Backs up one instance over HTTP and waits (in virtual time) for the orchestration to finish. */
export async function backupNow(h: Harness, service: string) {
  const response = await h.api('POST', '/api/backups', { service });
  if (response.status !== 202) throw new Error(`backup request failed: ${JSON.stringify(response.body)}`);
  const instance = await runToCompletion(h, response.body.id);
  return instance.output as { backupName: string; state: string };
}

/** Runs the expiry sweep orchestration now and returns its report. */
export async function sweepNow(h: Harness, dryRun = false) {
  const id = `sweep-${h.clock.now().getTime()}-${Math.random().toString(36).slice(2, 6)}`;
  h.host.engine.start('sweepOrchestrator', id, { dryRun, requestedBy: 'test' });
  const instance = await runToCompletion(h, id);
  if (instance.runtimeStatus !== 'Completed') throw new Error(`sweep ${instance.runtimeStatus}: ${String(instance.output)}`);
  // The orchestration answers with counts; the lists are in the run's storage.
  const { readSweepReport } = await import('../../src/workflows/sweep/readSweepReport.js');
  return readSweepReport(h.services, instance.output as import('../../src/workflows/sweep/types').SweepSummary);
}

/** Wraps fetch so that every response from `origin` is also read into `into`; returns the undo. */
function recordResponses(origin: string, into: string[]): () => void {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith(origin)) into.push(await response.clone().text());
    return response;
  };
  return () => {
    globalThis.fetch = original;
  };
}
