/**
 * What the SMTP service does at each step of a session: AUTH against the tenant's SMTP
 * credentials, sender checks at MAIL FROM, suppression at RCPT TO, and at the end of DATA
 * the message accepted (250 only once durably queued) or refused with a clear reply.
 */
import type { SMTPServerOptions } from 'smtp-server';
import { hasAsciiLocalPart, normalizeAddress } from '../domain/address.ts';
import { MAX_RECIPIENTS, sendProblem } from '../domain/send-request.ts';
import type { SmtpAuthenticator } from '../ports/smtp-authenticator.ts';
import { acceptSubmission, checkRecipient, checkSender, type SubmissionDeps } from '../use-cases/accept-submission.ts';
import { DataFeed } from './data-feed.ts';
import { readSubmission } from './read-submission.ts';
import { REPLIES, replyFor } from './replies.ts';

/** What the SMTP service needs: accepting submissions, and checking SMTP credentials. */
export interface SmtpServiceDeps extends SubmissionDeps {
  authenticator: SmtpAuthenticator;
}

/** Limits of one message. */
export interface SessionLimits {
  maxMessageBytes: number;
  /** RCPT TO per message (the API's limit by default). */
  maxRecipients?: number;
}

type Handlers = Required<Pick<SMTPServerOptions, 'onAuth' | 'onMailFrom' | 'onRcptTo' | 'onData'>>;

/** The tenant a session authenticated as (smtp-server keeps it as `session.user`). */
function tenantOf(session: { user?: unknown }): string | undefined {
  return typeof session.user === 'string' ? session.user : undefined;
}

/**
 * smtp-server handlers over `deps`. The deps object is read on every call, so a caller may
 * swap one of its ports while the service runs (tests inject outages that way).
 */
export function sessionHandlers(deps: SmtpServiceDeps, limits: SessionLimits): Handlers {
  const maxRecipients = limits.maxRecipients ?? MAX_RECIPIENTS;
  return {
    onAuth(auth, _session, callback) {
      if (auth.method !== 'PLAIN' && auth.method !== 'LOGIN') return callback(REPLIES.authMethod());
      deps.authenticator.authenticate(auth.username ?? '', auth.password ?? '').then(
        (principal) => {
          const allowed = principal && (principal.scopes.includes('send') || principal.scopes.includes('admin'));
          if (!principal || !allowed) {
            deps.log.info('smtp auth refused', { method: auth.method });
            return callback(REPLIES.authFailed());
          }
          callback(null, { user: principal.tenant });
        },
        (error: unknown) => {
          deps.log.error('smtp auth unavailable', { error: String(error) });
          callback(REPLIES.authUnavailable());
        },
      );
    },

    onMailFrom(address, session, callback) {
      const tenant = tenantOf(session);
      const email = normalizeAddress(address.address);
      if (!tenant) return callback(REPLIES.authFailed());
      // Parameters of extensions the service does not offer (smtp-server takes them anyway).
      const args = address.args || {};
      if (args.SMTPUTF8 !== undefined) return callback(REPLIES.smtpUtf8());
      if (args.REQUIRETLS !== undefined) return callback(REPLIES.requireTls());
      if (!email) return callback(REPLIES.badSender());
      if (!hasAsciiLocalPart(email)) return callback(REPLIES.asciiSender());
      checkSender(deps, tenant, email).then(
        () => callback(),
        (error: unknown) => callback(replyFor(error, deps.log, { tenant, step: 'MAIL FROM' })),
      );
    },

    onRcptTo(address, session, callback) {
      const tenant = tenantOf(session);
      const email = normalizeAddress(address.address);
      if (!tenant) return callback(REPLIES.authFailed());
      // Also refused: addresses a relay would not deliver to as written (quoted local parts with
      // <, >, quotes or edge spaces; non-ASCII local parts, since SMTPUTF8 is not offered).
      if (!email || sendProblem(email)) return callback(REPLIES.badRecipient());
      if (session.envelope.rcptTo.length >= maxRecipients) return callback(REPLIES.tooManyRecipients(maxRecipients));
      checkRecipient(deps, tenant, email).then(
        () => callback(),
        (error: unknown) => callback(replyFor(error, deps.log, { tenant, step: 'RCPT TO' })),
      );
    },

    onData(stream, session, callback) {
      const feed = new DataFeed(stream, limits.maxMessageBytes);
      const tenant = tenantOf(session);
      const envelopeFrom = normalizeAddress(session.envelope.mailFrom ? session.envelope.mailFrom.address : '');
      const recipients = [...new Set(session.envelope.rcptTo.map((r) => normalizeAddress(r.address)).filter((r): r is string => !!r))];
      const submit = async () => {
        // MAIL FROM and RCPT TO checked these already; a session cannot get here without them.
        if (!tenant || !envelopeFrom || recipients.length === 0) throw new Error('incomplete smtp envelope');
        const { headers, content } = await readSubmission(feed);
        return acceptSubmission(deps, { tenant, envelopeFrom, recipients, headers, content });
      };
      submit().then(
        (accepted) => {
          feed.drop();
          callback(null, `2.0.0 Ok: queued as ${accepted.id}`);
        },
        (error: unknown) => {
          // Whatever failed, the rest of DATA is read and dropped so that the reply can be sent.
          feed.drop();
          if (feed.interrupted) {
            deps.log.info('client left during DATA; nothing queued', { tenant, bytes: feed.bytes });
            return callback(REPLIES.notQueued());
          }
          callback(feed.tooLarge ? REPLIES.tooLarge(limits.maxMessageBytes) : replyFor(error, deps.log, { tenant, step: 'DATA' }));
        },
      );
    },
  };
}
