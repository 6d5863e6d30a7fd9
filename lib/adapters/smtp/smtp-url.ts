/**
 * SMTP relay URLs: `smtp://user:pass@host:port`, `smtps://…`, with nodemailer's query
 * options (`?tls.rejectUnauthorized=false`, `?requireTLS=true`, `?name=mx.example.com`…).
 */
import type { SMTPPoolOptions } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

/** The SMTP URL is missing, malformed or uses another scheme. Never carries the password. */
export class SmtpUrlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmtpUrlError';
  }
}

/** Default pool size: enough to keep a relay busy without tripping its connection limits. */
export const DEFAULT_MAX_CONNECTIONS = 5;

// nodemailer waits minutes by default; a delivery function has 30 s (lib/topology.ts), so a
// dead relay must fail fast enough to be answered as a deferral rather than time out.
const DEFAULT_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };

/**
 * The URL with its password replaced by `***`, fit for logs and error messages. A value that
 * does not parse as a URL is not echoed at all.
 */
export function redactSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<malformed URL>';
  }
}

/** The decoded password of the URL, if any, so that texts can be scrubbed of it. */
export function smtpUrlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pool options from an SMTP URL. Precedence: mailroom's defaults (short timeouts, 5
 * connections), then the URL's query options, then `overrides`. Pooling is always on.
 *
 * @throws SmtpUrlError when the URL is not a valid smtp:// or smtps:// URL with a host.
 */
export function smtpPoolOptions(url: string, overrides: Partial<SMTPPoolOptions> = {}): SMTPPoolOptions & { pool: true } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No cause: Node's URL error carries the whole input, password included.
    throw new SmtpUrlError('the SMTP relay URL is malformed (expected smtp://user:pass@host:port or smtps://…)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new SmtpUrlError(`the SMTP relay URL must start with smtp:// or smtps://, got ${redactSmtpUrl(url)}`);
  }
  if (!parsed.hostname) throw new SmtpUrlError(`the SMTP relay URL names no host: ${redactSmtpUrl(url)}`);
  // nodemailer's own parser gives the query options the same meaning as its `url` option
  // (numbers and booleans converted, `tls.*` nested).
  const fromUrl = parseConnectionUrl(url) as SMTPPoolOptions;
  return {
    ...DEFAULT_TIMEOUTS,
    maxConnections: DEFAULT_MAX_CONNECTIONS,
    ...fromUrl,
    ...overrides,
    pool: true,
  };
}
