/**
 * The SMTP relay: a pooled nodemailer transport, built once and reused across sends.
 */
import nodemailer from 'nodemailer';
import type { SMTPPoolOptions, SMTPPoolSentMessageInfo, Transporter } from 'nodemailer';
import type { Log } from '../../ports/logger.ts';
import type { MailRelay, OutgoingMail, RelayResult } from '../../ports/mail-relay.ts';
import { composeMime } from '../mime/compose.ts';
import { answersFromError, answersFromInfo, type Scrub } from './smtp-answers.ts';
import { redactSmtpUrl, smtpPoolOptions, smtpUrlPassword } from './smtp-url.ts';

/** Options of {@link SmtpRelay}; anything else comes from the URL. */
export interface SmtpRelayOptions {
  /** Most connections the pool opens to the relay (default 5). */
  maxConnections?: number;
  /** Further nodemailer pool options (timeouts, TLS, `name`…); they win over the URL's. */
  transport?: Partial<SMTPPoolOptions>;
  /** Where pool-level trouble is reported; message contents and addresses are never logged. */
  log?: Log;
}

/**
 * {@link MailRelay} over SMTP. Answers for every envelope recipient from the server's
 * replies; refusals and connection failures are answers, never exceptions. Throws only
 * PoisonMessageError, when the message cannot be composed or its envelope is unusable.
 */
export class SmtpRelay implements MailRelay {
  readonly #transport: Transporter<SMTPPoolSentMessageInfo>;
  readonly #scrub: Scrub;
  /** The relay URL with its password masked, for logs and diagnostics. */
  readonly target: string;

  /**
   * @param url `smtp://user:pass@host:port` or `smtps://…`, nodemailer query options allowed.
   * @throws SmtpUrlError when the URL is unusable (the message never contains the password).
   */
  constructor(url: string, options: SmtpRelayOptions = {}) {
    const overrides: Partial<SMTPPoolOptions> = { ...options.transport };
    if (options.maxConnections !== undefined) overrides.maxConnections = options.maxConnections;
    const poolOptions = smtpPoolOptions(url, overrides);
    this.target = redactSmtpUrl(url);
    const password = smtpUrlPassword(url) ?? (typeof poolOptions.auth?.pass === 'string' ? poolOptions.auth.pass : undefined);
    this.#scrub = password ? (text) => text.split(password).join('***') : (text) => text;
    this.#transport = nodemailer.createTransport(poolOptions);
    // Without a listener an 'error' event would crash the process; failed sends are
    // answered through sendMail's rejection anyway.
    this.#transport.on('error', (error: Error) => {
      options.log?.warn('smtp pool error', { relay: this.target, error: this.#scrub(error.message) });
    });
  }

  /** Composes `mail` once and sends those bytes to the envelope recipients. */
  async send(mail: OutgoingMail): Promise<RelayResult> {
    const recipients = mail.envelope.to;
    if (recipients.length === 0) return { relay: 'smtp', recipients: [] };
    const raw = await composeMime(mail);
    try {
      const info = await this.#transport.sendMail({ envelope: { from: mail.envelope.from, to: recipients }, raw });
      return { relay: 'smtp', recipients: answersFromInfo(recipients, info, this.#scrub) };
    } catch (error) {
      return { relay: 'smtp', recipients: answersFromError(recipients, error, this.#scrub) };
    }
  }

  /** Closes the pool: idle connections at once, busy ones after their current message. */
  async close(): Promise<void> {
    this.#transport.close();
  }
}
