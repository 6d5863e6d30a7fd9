/**
 * The SMTP submission service: one listener with STARTTLS (587; AUTH only after STARTTLS)
 * and one with implicit TLS (465), both taking AUTH PLAIN and LOGIN with a tenant's SMTP
 * credentials and handing messages to the same session logic.
 */
import { hostname as osHostname } from 'node:os';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { MAX_RECIPIENTS } from '../domain/send-request.ts';
import { SMTP_SERVICE } from '../topology.ts';
import { ConnectionGuard } from './connection-guard.ts';
import { sessionHandlers, type SmtpServiceDeps } from './session.ts';

/** PEM certificate (chain) and private key the service presents. */
export interface SmtpTls {
  cert: string;
  key: string;
}

/** Where and how the service listens. */
export interface SmtpServiceOptions {
  /** STARTTLS port; 0 picks a free one. */
  port: number;
  /** Implicit-TLS port; 0 picks a free one. */
  securePort: number;
  /** Address to bind (all interfaces by default). */
  host?: string;
  /** Name in the greeting and EHLO reply (MAILROOM_SMTP_HOSTNAME); the machine's name by default. */
  hostname?: string;
  tls: SmtpTls;
  /** Largest message (SIZE); SMTP_SERVICE.maxMessageBytes by default. */
  maxMessageBytes?: number;
  maxRecipients?: number;
  /** Idle time after which a connection is closed; SMTP_SERVICE.socketTimeoutMs by default. */
  socketTimeoutMs?: number;
  /** How long stop() lets open sessions finish before closing them. */
  closeTimeoutMs?: number;
  /** Open connections per listener; more are refused with 421. */
  maxConnections?: number;
  /** Time from accepting a connection to a successful AUTH, after which it is closed with 421; SMTP_SERVICE.authDeadlineMs by default. */
  authDeadlineMs?: number;
  /** Open connections per client address, both listeners together; more are refused with 421. SMTP_SERVICE.maxConnectionsPerAddress by default. */
  maxConnectionsPerAddress?: number;
}

/** A running SMTP service. */
export interface SmtpService {
  port: number;
  securePort: number;
  /** Stops accepting connections and lets open sessions finish (at most closeTimeoutMs), then closes them. */
  stop(): Promise<void>;
}

function listen(server: SMTPServer, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = () => {
      server.off('error', reject);
      resolve((server.server.address() as { port: number }).port);
    };
    if (host) server.listen(port, host, ready);
    else server.listen(port, ready);
  });
}

function close(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Starts both listeners. */
export async function startSmtpService(deps: SmtpServiceDeps, options: SmtpServiceOptions): Promise<SmtpService> {
  const maxMessageBytes = options.maxMessageBytes ?? SMTP_SERVICE.maxMessageBytes;
  const handlers = sessionHandlers(deps, { maxMessageBytes, maxRecipients: options.maxRecipients ?? MAX_RECIPIENTS });
  const common: SMTPServerOptions = {
    name: options.hostname ?? osHostname(),
    banner: 'mailroom ESMTP submission',
    key: options.tls.key,
    cert: options.tls.cert,
    minVersion: 'TLSv1.2',
    size: maxMessageBytes,
    authMethods: ['PLAIN', 'LOGIN'],
    authRequiredMessage: '5.7.0 Authentication required: use STARTTLS, then AUTH PLAIN or LOGIN with your SMTP credentials',
    // AUTH is refused before STARTTLS (538) on the plain listener.
    allowInsecureAuth: false,
    disabledCommands: [],
    disableReverseLookup: true,
    // Only what mailroom honours is offered: no DSN (delivery events replace it), no SMTPUTF8
    // (SES and many relays cannot carry non-ASCII local parts), no REQUIRETLS (the onward hops'
    // TLS is the relay's).
    hideDSN: true,
    hideSMTPUTF8: true,
    hideREQUIRETLS: true,
    socketTimeout: options.socketTimeoutMs ?? SMTP_SERVICE.socketTimeoutMs,
    closeTimeout: options.closeTimeoutMs ?? 30_000,
    maxClients: options.maxConnections ?? 500,
    logger: false,
    ...handlers,
  };
  const guard = new ConnectionGuard(
    {
      authDeadlineMs: options.authDeadlineMs ?? SMTP_SERVICE.authDeadlineMs,
      maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? SMTP_SERVICE.maxConnectionsPerAddress,
    },
    deps.log,
  );
  const [plainGuard, secureGuard] = [guard.listener(), guard.listener()];
  const plain = new SMTPServer({ ...common, secure: false, onConnect: plainGuard.onConnect });
  const secure = new SMTPServer({ ...common, secure: true, onConnect: secureGuard.onConnect });
  plainGuard.watch(plain);
  secureGuard.watch(secure);
  const servers = [plain, secure];
  // A broken connection must not crash the service; smtp-server reports it and closes it.
  for (const server of servers) server.on('error', (error: Error) => deps.log.warn('smtp connection error', { error: error.message }));
  try {
    const port = await listen(plain, options.port, options.host);
    const securePort = await listen(secure, options.securePort, options.host);
    return { port, securePort, stop: async () => void (await Promise.all(servers.map(close))) };
  } catch (error) {
    await Promise.all(servers.map((s) => (s.server.listening ? close(s) : Promise.resolve())));
    throw error;
  }
}
