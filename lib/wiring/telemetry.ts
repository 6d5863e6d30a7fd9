/**
 * Each function's logs, metrics and traces, with Powertools. In Lambda: JSON logs that carry the
 * invocation (`injectLambdaContext`: request id, cold start, function name), metrics as EMF
 * written out after each invocation (`logMetrics`), and X-Ray traces of the handler
 * (`captureLambdaHandler`) and of the SDK clients the wiring makes ({@link traced}).
 *
 * A caller that brings its own log (local mode, tests) keeps it: the metrics then go to that log
 * as debug lines, and no Lambda context is added to it.
 *
 * The tracer is loaded only in Lambda (AWS_EXECUTION_ENV) unless POWERTOOLS_TRACE_ENABLED is
 * `false`: it brings the X-Ray SDK (about 130 KB with its dependencies, tens of milliseconds of
 * a cold start), which on loading also hooks every asynchronous operation of the process. Local
 * mode and the tests never load it; a deployment with tracing off does not pay for it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EmfMetrics } from '../adapters/cloudwatch/emf-metrics.ts';
import { LogMetrics } from '../adapters/cloudwatch/log-metrics.ts';
import type { HandlerMiddleware } from '../handlers/lambda-handler.ts';
import { METRICS_SERVICE } from '../observability/metric-names.ts';
import { ENV, type Env } from '../env.ts';
import type { Log } from '../ports/logger.ts';
import type { Metrics } from '../ports/metrics.ts';

/** A function's log, metrics, and the middlewares that complete them around each invocation. */
export interface FunctionTelemetry {
  log: Log;
  metrics: Metrics;
  middlewares: HandlerMiddleware[];
}

/** The service's Powertools logger for one function: structured JSON, level from POWERTOOLS_LOG_LEVEL. */
export function powertoolsLogger(name: string): Logger {
  return new Logger({ serviceName: METRICS_SERVICE, persistentKeys: { function: name } });
}

/** The {@link Log} port over a Powertools logger. */
export function logOf(logger: Logger): Log {
  const level =
    (write: (message: string, ...extra: [Record<string, unknown>] | []) => void) => (message: string, extra?: Record<string, unknown>) =>
      extra ? write(message, extra) : write(message);
  return {
    debug: level(logger.debug.bind(logger)),
    info: level(logger.info.bind(logger)),
    warn: level(logger.warn.bind(logger)),
    error: level(logger.error.bind(logger)),
  };
}

/** Whether a trace can be made here: in Lambda, unless POWERTOOLS_TRACE_ENABLED is `false`. */
export function tracingPossible(env: Env): boolean {
  return !!env.AWS_EXECUTION_ENV && env[ENV.traceEnabled]?.trim().toLowerCase() !== 'false';
}

// Read once, when the function starts.
const tracerModule = tracingPossible(process.env) ? await import('@aws-lambda-powertools/tracer') : undefined;
let processTracer: Tracer | undefined;

/** The process's tracer, made on first use (a Lambda process runs one function); none where no trace can be made. */
export function functionTracer(): Tracer | undefined {
  if (!tracerModule) return undefined;
  return (processTracer ??= new tracerModule.Tracer({ serviceName: METRICS_SERVICE }));
}

/** `client` with each of its calls traced as an X-Ray subsegment (the same client, untouched, without a tracer). */
export function traced<T>(client: T): T {
  return functionTracer()?.captureAWSv3Client(client) ?? client;
}

/** The telemetry of the function `name`; `overrides` bring a log or metrics of the caller's own. */
export function functionTelemetry(name: string, overrides: { log?: Log; metrics?: Metrics } = {}): FunctionTelemetry {
  const middlewares: HandlerMiddleware[] = [];
  let log = overrides.log;
  if (!log) {
    const logger = powertoolsLogger(name);
    log = logOf(logger);
    middlewares.push(injectLambdaContext(logger));
  }
  const tracer = functionTracer();
  // The answer stays out of the trace: it holds message ids, pages and reports.
  if (tracer) middlewares.push(captureLambdaHandler(tracer, { captureResponse: false }));
  let metrics = overrides.metrics;
  if (!metrics && overrides.log) metrics = new LogMetrics(overrides.log);
  if (!metrics) {
    const emf = new EmfMetrics(log);
    middlewares.push(logMetrics(emf.instances));
    metrics = emf;
  }
  return { log, metrics, middlewares };
}
