/**
 * Azure Monitor export through OpenTelemetry, on when `APPLICATIONINSIGHTS_CONNECTION_STRING` is set: a span per
 * backup, restore and migration (with the operation's own start and end), and the custom metrics an operator charts and
 * alerts on: backup duration, restore duration (RTO), and the age of each instance's newest restorable backup.
 * Ingestion is keyless: the exporter authenticates with the app's Entra ID credential.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { Attributes } from '@opentelemetry/api';

export const CONNECTION_STRING_SETTING = 'APPLICATIONINSIGHTS_CONNECTION_STRING';

/** One finished backup, restore or migration, as its record has it. */
export interface FinishedOperation {
  kind: 'backup' | 'restore' | 'migration';
  /** The instance backed up or migrated, or the restore's target. */
  service: string;
  state: string;
  startedAt: string;
  completedAt: string;
  correlationId: string;
  attributes: Attributes;
  error?: { code: string; message: string };
}

export interface Telemetry {
  operationFinished(operation: FinishedOperation): void;
  /** From each tick: per instance, how old its newest restorable backup is (none: not recorded). */
  backupAges(ages: readonly { service: string; ageMs?: number }[]): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export const noTelemetry: Telemetry = {
  operationFinished: () => undefined,
  backupAges: () => undefined,
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

export interface AzureMonitorOptions {
  connectionString: string;
  credential: TokenCredential;
  /** Extra pipeline policies for the ingestion client (the extra CA of a sovereign cloud, a proxy or the sandbox). */
  policies?: { policy: PipelinePolicy; position: 'perCall' | 'perRetry' }[];
  exportIntervalMs?: number;
}

export function createAzureMonitorTelemetry(options: AzureMonitorOptions): Telemetry {
  // Loaded here, not at the top: an app without the connection string never pays for ~300 exporter modules.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AzureMonitorMetricExporter, AzureMonitorTraceExporter } =
    require('@azure/monitor-opentelemetry-exporter') as typeof import('@azure/monitor-opentelemetry-exporter');
  const { SpanKind, SpanStatusCode } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const exporterOptions = { connectionString: options.connectionString, credential: options.credential, additionalPolicies: options.policies };
  const resource = resourceFromAttributes({ 'service.name': 'apim-dr' });
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new AzureMonitorTraceExporter(exporterOptions))] });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new AzureMonitorMetricExporter(exporterOptions),
        exportIntervalMillis: options.exportIntervalMs ?? 60_000,
      }),
    ],
  });
  const tracer = tracerProvider.getTracer('apim-dr');
  const meter = meterProvider.getMeter('apim-dr');
  const durations = {
    backup: meter.createHistogram('apim_dr.backup.duration', { unit: 'ms', description: 'From the backup request to its settled record' }),
    restore: meter.createHistogram('apim_dr.restore.duration', { unit: 'ms', description: 'From the restore request to a verified target (the RTO)' }),
    migration: meter.createHistogram('apim_dr.migration.duration', { unit: 'ms', description: 'From the migration request to a verified instance on stv2' }),
  };
  const age = meter.createGauge('apim_dr.backup.age', { unit: 'ms', description: "Age of the instance's newest restorable backup" });

  return {
    operationFinished(op) {
      const attributes: Attributes = { 'apim_dr.service': op.service, 'apim_dr.state': op.state, 'apim_dr.correlation_id': op.correlationId, ...op.attributes };
      const span = tracer.startSpan(`${op.kind} ${op.service}`, { kind: SpanKind.INTERNAL, startTime: new Date(op.startedAt), attributes });
      if (op.error) span.setStatus({ code: SpanStatusCode.ERROR, message: `${op.error.code}: ${op.error.message}` });
      span.end(new Date(op.completedAt));
      durations[op.kind].record(Date.parse(op.completedAt) - Date.parse(op.startedAt), { 'apim_dr.service': op.service, 'apim_dr.state': op.state });
    },
    backupAges(ages) {
      for (const a of ages) if (a.ageMs !== undefined) age.record(a.ageMs, { 'apim_dr.service': a.service });
    },
    async flush() {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
