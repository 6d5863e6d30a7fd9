/**
 * The environment variables Powertools for AWS Lambda reads by itself (logger, metrics, tracer):
 * the stack sets them on every function; the functions never read them directly.
 */
export const POWERTOOLS_ENV = {
  /** The `service` key of every log line and the `service` dimension of every metric. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** The CloudWatch namespace of the EMF metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** The logger's level: DEBUG, INFO, WARN or ERROR. */
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;
