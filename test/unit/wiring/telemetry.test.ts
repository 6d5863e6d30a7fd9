/** Which telemetry a function gets: Powertools' in Lambda, the caller's log and log metrics otherwise, and the tracer only where a trace can be made. */
import { describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../../lib/adapters/cloudwatch/emf-metrics.ts';
import { LogMetrics } from '../../../lib/adapters/cloudwatch/log-metrics.ts';
import { functionTelemetry, functionTracer, traced, tracingPossible } from '../../../lib/wiring/telemetry.ts';
import { MemoryMetrics, memoryLog } from '../../support/fakes/index.ts';

describe('function telemetry', () => {
  it('makes a trace only in Lambda, unless POWERTOOLS_TRACE_ENABLED is false', () => {
    expect(tracingPossible({})).toBe(false);
    expect(tracingPossible({ POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(false);
    expect(tracingPossible({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(tracingPossible({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: ' FALSE ' })).toBe(false);
  });

  it('outside Lambda loads no tracer and leaves clients as they are', () => {
    expect(functionTracer()).toBeUndefined();
    const client = { send: () => undefined };
    expect(traced(client)).toBe(client);
  });

  it('gives a function its own logger with the Lambda context, and EMF metrics written out after each invocation', () => {
    const telemetry = functionTelemetry('api');
    expect(telemetry.metrics).toBeInstanceOf(EmfMetrics);
    // injectLambdaContext and logMetrics (no tracer here).
    expect(telemetry.middlewares).toHaveLength(2);
  });

  it('keeps the caller’s log, adds nothing to it, and sends the metrics there unless the caller brings its own', () => {
    const log = memoryLog();
    const withLog = functionTelemetry('api', { log });
    expect(withLog.log).toBe(log);
    expect(withLog.metrics).toBeInstanceOf(LogMetrics);
    expect(withLog.middlewares).toEqual([]);
    const metrics = new MemoryMetrics();
    expect(functionTelemetry('api', { log, metrics }).metrics).toBe(metrics);
  });
});
