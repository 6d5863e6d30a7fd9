/**
 * The local SMTP service's certificate: PEM files named by configuration, or a self-signed
 * EC pair for `localhost` made at start (clients must then skip verification, e.g.
 * nodemailer's `tls: { rejectUnauthorized: false }`).
 */
import { readFileSync } from 'node:fs';
import { generate } from 'selfsigned';
import { ConfigError } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { SmtpTls } from '../smtp/server.ts';

/** The pair named by MAILROOM_SMTP_TLS_CERT_FILE and MAILROOM_SMTP_TLS_KEY_FILE; undefined when neither is set. */
export function tlsFromFiles(env: Env): SmtpTls | undefined {
  const certFile = env[ENV.smtpTlsCertFile]?.trim();
  const keyFile = env[ENV.smtpTlsKeyFile]?.trim();
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) throw new ConfigError(`set both ${ENV.smtpTlsCertFile} and ${ENV.smtpTlsKeyFile}, or neither`);
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

/** A self-signed certificate for localhost and 127.0.0.1, valid for a year (EC P-256: made in milliseconds). */
export async function selfSignedTls(): Promise<SmtpTls> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 365 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
