/**
 * `npm start`: runs mailroom locally. Configuration comes from the environment:
 * MAILROOM_PORT, MAILROOM_API_KEY, MAILROOM_DATA_DIR, MAILROOM_RELAY, MAILROOM_LOG_LEVEL,
 * MAILROOM_SMTP_PORT and MAILROOM_SMTPS_PORT (SMTP submission, 2587 and 2465),
 * MAILROOM_INBOUND_PORT (bounces and complaints, 2525), and the
 * functions' own variables (lib/env.ts), such as MAILROOM_RETRY_BASE_SECONDS,
 * MAILROOM_RETRY_MAX_AGE_SECONDS and MAILROOM_WEBHOOK_RETRY_BASE_SECONDS.
 */
import { join, resolve } from 'node:path';
import { integer } from '../config.ts';
import { ENV } from '../env.ts';
import { DEV_KEY_FILE } from './dev-key.ts';
import { DYNAMODB_CREDENTIALS_FILE } from './dynamodb-credentials.ts';
import { ENDPOINTS_FILE } from './endpoints.ts';
import { startLocal } from './runtime.ts';
import { ensureConsoleBuilt } from './console-build.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Local mode logs warnings and errors only, unless asked for more.
process.env[ENV.logLevel] = process.env.MAILROOM_LOG_LEVEL ?? process.env[ENV.logLevel] ?? 'WARN';
// Offline: no X-Ray traces, and no EMF lines (the functions' metrics go to the log, at DEBUG).
process.env[ENV.traceEnabled] = 'false';
process.env[ENV.metricsDisabled] = 'true';
if (process.env.MAILROOM_RELAY === 'ses') process.env.AWS_REGION ??= 'us-east-1';

async function main(): Promise<void> {
  const env = process.env;
  const dataDir = resolve(env.MAILROOM_DATA_DIR ?? '.data');
  const relay = env.MAILROOM_RELAY?.trim() || 'capture';
  const started = Date.now();
  // The web console: built from console/ when its build is missing or older than its sources.
  if (await ensureConsoleBuilt().catch((error: Error) => void process.stderr.write(`the console could not be built: ${error.message}\n`)))
    process.stdout.write('built the web console (console/dist)\n');
  const runtime = await startLocal({
    dataDir,
    port: integer(env, 'MAILROOM_PORT', 3000, 0, 65535),
    relay,
    // Only the dev tenant may send from domains it has not verified, unless configured otherwise.
    env: { MAILROOM_VERIFIED_DOMAINS: 'off:dev', ...env },
    ...(env.MAILROOM_API_KEY && { apiKey: env.MAILROOM_API_KEY.trim() }),
    smtp: { port: integer(env, 'MAILROOM_SMTP_PORT', 2587, 0, 65535), securePort: integer(env, 'MAILROOM_SMTPS_PORT', 2465, 0, 65535) },
    inbound: { port: integer(env, ENV.inboundPort, 2525, 0, 65535) },
  });
  const smtp = runtime.smtp;
  const lines = [
    '',
    `mailroom is running locally (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    `  API        ${runtime.apiUrl}/v1`,
    `  API key    ${runtime.apiKey}   (tenant "dev")`,
    `  Console    ${runtime.consoleUrl}   (sign in with the API key)`,
    ...(runtime.apiKeyRevokedAt
      ? [
          `             revoked ${runtime.apiKeyRevokedAt}; for a new one ${env.MAILROOM_API_KEY ? 'set another MAILROOM_API_KEY' : `delete ${join(dataDir, DEV_KEY_FILE)}`}`,
        ]
      : []),
    relay === 'capture' ? `  Mailbox    ${runtime.mailboxUrl}` : `  Relay      ${relay.replace(/\/\/[^@/]*@/, '//***@')}`,
    `  Events     ${runtime.apiUrl}/notifications   (what SNS subscribers would receive)`,
    smtp
      ? `  SMTP       localhost:${smtp.port} (STARTTLS), localhost:${smtp.securePort} (implicit TLS)${smtp.selfSigned ? ', self-signed certificate' : ''}`
      : '',
    smtp ? `  SMTP login ${smtp.credential.username} / ${smtp.credential.password}   (AUTH PLAIN or LOGIN)` : '',
    runtime.inbound ? `  Inbound    127.0.0.1:${runtime.inbound.port}   (bounces and complaints to bounces.<your domain>; no AUTH)` : '',
    `  DynamoDB   ${runtime.dynamoEndpoint}   (it answers only the key in ${DYNAMODB_CREDENTIALS_FILE})`,
    `  SQS        ${runtime.sqsEndpoint}`,
    `  CLI        npx mailroom <command> --local   (finds these in ${join(dataDir, ENDPOINTS_FILE)})`,
    `  OpenAPI    ${runtime.apiUrl}/v1/openapi.json`,
    `  Data       ${dataDir}`,
    runtime.requeued ? `  Requeued   ${runtime.requeued} message(s) still waiting from the last run` : '',
    '',
    'Try it:',
    `  curl -s ${runtime.apiUrl}/v1/messages -H "Authorization: Bearer ${runtime.apiKey}" \\`,
    `    -H "Content-Type: application/json" \\`,
    `    -d '{"from":"hello@example.com","to":"you@example.org","subject":"Hi","text":"It works."}'`,
    '',
    'Ctrl-C stops it.',
    '',
  ];
  process.stdout.write(lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n') + '\n');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping mailroom…\n`);
    runtime.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`mailroom could not start: ${error.message}\n`);
  process.exit(1);
});
