/**
 * The SMTP submission service in local mode: the same service as the container runs, on
 * loopback, with a certificate from files or made at start, and a development credential of
 * the dev tenant (kept in the data folder, like the dev API key).
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoSmtpCredentialStore } from '../adapters/dynamodb/smtp-credential-store.ts';
import { smtpLimits } from '../config.ts';
import { smtpPasswordMatches } from '../domain/smtp-credential.ts';
import { ENV, type Env } from '../env.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startSmtpService, type SmtpService, type SmtpTls } from '../smtp/server.ts';
import type { SmtpServiceDeps } from '../smtp/session.ts';
import { issueSmtpCredential } from '../use-cases/smtp-credentials.ts';
import { selfSignedTls, tlsFromFiles } from './smtp-tls.ts';

/** Where the local SMTP service listens; 0 picks a free port (read the bound ones back). */
export interface LocalSmtpOptions {
  port: number;
  securePort: number;
  /** Certificate and key; else MAILROOM_SMTP_TLS_CERT_FILE/KEY_FILE; else self-signed. */
  tls?: SmtpTls;
}

/** The running local SMTP service. */
export interface LocalSmtp extends SmtpService {
  /** The dev tenant's SMTP login. */
  credential: { username: string; password: string };
  /** Whether the certificate was made at start (clients must not verify it). */
  selfSigned: boolean;
  /** The service's dependencies; replacing a port here takes effect on the next command. */
  deps: SmtpServiceDeps;
}

/** The dev tenant's credential: the one kept in the data folder while it still authenticates, else a new one. */
async function devCredential(deps: {
  dynamo: DynamoDBClient;
  table: string;
  tenant: string;
  dataDir?: string;
}): Promise<LocalSmtp['credential']> {
  const store = new DynamoSmtpCredentialStore(deps.dynamo, deps.table);
  const file = deps.dataDir ? join(deps.dataDir, 'dev-smtp-credential.json') : undefined;
  if (file && existsSync(file)) {
    try {
      const kept = JSON.parse(readFileSync(file, 'utf8')) as { username: string; password: string };
      const record = await store.get(kept.username);
      if (record && !record.revokedAt && record.tenant === deps.tenant && smtpPasswordMatches(kept.password, record.passwordHash))
        return kept;
    } catch {
      // Unreadable or stale: issue a new one below.
    }
  }
  const issued = await issueSmtpCredential({ credentials: store, clock: { now: () => new Date() } }, deps.tenant, {
    description: 'local development',
  });
  const credential = { username: issued.username, password: issued.password };
  if (file) {
    writeFileSync(file, `${JSON.stringify(credential)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return credential;
}

/** Starts the SMTP service on 127.0.0.1 for the runtime's dev tenant. */
export async function startLocalSmtp(
  env: Env,
  deps: SmtpServiceDeps,
  options: LocalSmtpOptions & { dynamo: DynamoDBClient; credentialsTable: string; tenant: string; dataDir?: string },
): Promise<LocalSmtp> {
  const given = options.tls ?? tlsFromFiles(env);
  const tls = given ?? (await selfSignedTls());
  const credential = await devCredential({
    dynamo: options.dynamo,
    table: options.credentialsTable,
    tenant: options.tenant,
    ...(options.dataDir && { dataDir: options.dataDir }),
  });
  const service = await startSmtpService(deps, {
    port: options.port,
    securePort: options.securePort,
    host: '127.0.0.1',
    hostname: env[ENV.smtpHostname]?.trim() || 'localhost',
    tls,
    ...smtpLimits(env),
    closeTimeoutMs: 5_000,
  });
  return { ...service, credential, selfSigned: !given, deps };
}
