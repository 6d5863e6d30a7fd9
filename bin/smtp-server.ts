/**
 * The SMTP submission service's container entry point (ECS Fargate). Configuration comes from
 * the environment (lib/env.ts): the tables and send queue of the API, MAILROOM_RAW_MESSAGE_BUCKET,
 * MAILROOM_SMTP_TLS_SECRET_ARN (JSON `{"cert","key"}`, PEM), MAILROOM_SMTP_PORT and
 * MAILROOM_SMTPS_PORT (587 and 465 by default), MAILROOM_SMTP_HOSTNAME,
 * MAILROOM_SMTP_MAX_MESSAGE_BYTES, MAILROOM_SMTP_AUTH_DEADLINE_SECONDS and
 * MAILROOM_SMTP_MAX_CONNECTIONS_PER_ADDRESS. SIGTERM stops accepting connections and lets open
 * sessions finish before the process exits.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, integer, required, smtpLimits } from '../lib/config.ts';
import { ENV } from '../lib/env.ts';
import { startSmtpService, type SmtpTls } from '../lib/smtp/server.ts';
import { SMTP_SERVICE } from '../lib/topology.ts';
import { containerMetrics, createLogger, wireSmtp } from '../lib/wiring.ts';

/** Reads the certificate and key from Secrets Manager. */
async function readTls(secrets: SecretsManagerClient, secretId: string): Promise<SmtpTls> {
  const output = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(output.SecretString ?? '');
  } catch {
    throw new ConfigError(`the secret of ${ENV.smtpTlsSecretArn} must be JSON {"cert","key"}`);
  }
  const { cert, key } = (parsed ?? {}) as { cert?: unknown; key?: unknown };
  if (typeof cert !== 'string' || typeof key !== 'string' || !cert.includes('BEGIN') || !key.includes('BEGIN')) {
    throw new ConfigError(`the secret of ${ENV.smtpTlsSecretArn} must hold PEM strings "cert" and "key"`);
  }
  return { cert, key };
}

async function main(): Promise<void> {
  const env = process.env;
  const log = createLogger('smtp');
  const metrics = containerMetrics(log);
  const deps = wireSmtp(env, { log, metrics: metrics.metrics });
  const tls = await readTls(new SecretsManagerClient({}), required(env, ENV.smtpTlsSecretArn));
  const service = await startSmtpService(deps, {
    port: integer(env, ENV.smtpPort, SMTP_SERVICE.port, 1, 65535),
    securePort: integer(env, ENV.smtpsPort, SMTP_SERVICE.securePort, 1, 65535),
    ...(env[ENV.smtpHostname]?.trim() && { hostname: env[ENV.smtpHostname]!.trim() }),
    tls,
    ...smtpLimits(env),
  });
  log.info('smtp service listening', { port: service.port, securePort: service.securePort });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('smtp service stopping', { signal });
    service.stop().then(
      () => {
        metrics.stop();
        process.exit(0);
      },
      () => {
        metrics.stop();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: Error) => {
  process.stderr.write(`mailroom smtp service could not start: ${error.message}\n`);
  process.exit(1);
});
