/**
 * Each function's logs, metrics and traces, with Powertools. In Lambda: JSON logs that carry the
 * invocation (`injectLambdaContext`: request id, cold start, function name), metrics as EMF
 * written out after each invocation (`logMetrics`), and X-Ray traces of the handler
 * (`captureLambdaHandler`) and of the SDK clients the wiring makes ({@link traced}).
 *
 * A caller that brings its own log (local mode, tests) keeps it: the metrics then go to that log
 * as debug lines, and no Lambda context is added to it. The tracer follows POWERTOOLS_TRACE_ENABLED
 * and is off outside Lambda (local mode sets it to `false` as well).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { EmfMetrics } from '../adapters/cloudwatch/emf-metrics.ts';
import { LogMetrics } from '../adapters/cloudwatch/log-metrics.ts';
import type { HandlerMiddleware } from '../handlers/lambda-handler.ts';
import { METRICS_SERVICE } from '../observability/metric-names.ts';
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

let tracer: Tracer | undefined;

/**
 * The process's tracer, made on first use (a Lambda process runs one function). It is on in
 * Lambda unless POWERTOOLS_TRACE_ENABLED is `false`, and off elsewhere.
 */
export function functionTracer(): Tracer {
  return (tracer ??= new Tracer({ serviceName: METRICS_SERVICE }));
}

/** `client` with each of its calls traced as an X-Ray subsegment (the same client, untouched, while tracing is off). */
export function traced<T>(client: T): T {
  return functionTracer().captureAWSv3Client(client);
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
  // The answer stays out of the trace: it holds message ids, pages and reports.
  middlewares.push(captureLambdaHandler(functionTracer(), { captureResponse: false }));
  let metrics = overrides.metrics;
  if (!metrics && overrides.log) metrics = new LogMetrics(overrides.log);
  if (!metrics) {
    const emf = new EmfMetrics(log);
    middlewares.push(logMetrics(emf.instances));
    metrics = emf;
  }
  return { log, metrics, middlewares };
}
